from kigate.cli import main

raise SystemExit(main())
