"""Signed sign-off: an owner's SSH signature over a manifest's canonical content.

kigate adds no cryptography of its own: ``ssh-keygen -Y sign`` / ``-Y verify`` (the
mechanism git uses for SSH-signed commits) do the work, run with a fixed argv
(:mod:`kigate.signoff.keygen`). What is signed is defined in
:mod:`kigate.signoff.canonical`; where signatures live in :mod:`kigate.signoff.records`;
whom to trust in :mod:`kigate.signoff.trust`; the verdicts in :mod:`kigate.signoff.verify`;
the rules KG160-KG164 built from them in :mod:`kigate.rules.signoff`.
"""
