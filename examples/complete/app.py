"""Drafts e-mail replies for the support team; a person reviews and sends every reply."""

from openai import OpenAI

client = OpenAI()


def draft_reply(mail: str) -> str:
    response = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": f"Draft a polite reply to: {mail}"}],
    )
    return response.choices[0].message.content or ""
