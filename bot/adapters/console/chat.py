"""A chat with the bot in the terminal, or scripted through standard input.

Interactive: a prompt per line. Piped: one user message per line, the bot's replies printed,
buttons as numbered options; a line that is just one of those numbers presses that button.
"""

from __future__ import annotations

import asyncio
import getpass
import signal
import sys
import threading
import uuid
from typing import TextIO

from bot.adapters.console.convert import parse_line, render
from bot.adapters.memory import Handler, MemoryChat
from bot.messages import Button

__all__ = ["run_console"]


async def _read_line(stream: TextIO, prompt: str) -> str | None:
    if prompt:
        print(prompt, end="", flush=True)
    loop = asyncio.get_running_loop()
    read: asyncio.Future[str] = loop.create_future()

    def take(line: str) -> None:
        if not read.done():
            read.set_result(line)

    def read_one() -> None:
        # Ctrl-C is the main thread's: were the kernel to hand SIGINT to this thread (blocked
        # in read), the loop would not wake to run asyncio's handler, and the chat would hang.
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        loop.call_soon_threadsafe(take, stream.readline())

    # A daemon thread of its own, not asyncio.to_thread: after Ctrl-C, asyncio.run waits for
    # its executor's threads, and this one waits for a line that is not coming.
    thread = threading.Thread(target=read_one, name="console-input", daemon=True)
    thread.start()
    line = await read
    # Bytes that are not UTF-8 come in as lone surrogates, which no database can store.
    line = line.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return line.rstrip("\r\n") if line else None


async def run_console(handler: Handler, *, stdin: TextIO | None = None) -> None:
    """Talk until end of input (or Ctrl-D)."""
    stream = stdin or sys.stdin
    interactive = stream.isatty()
    # Event ids are numbered per process: a run of its own prefix, so that a later run's first
    # message is not taken for a redelivery of an earlier run's.
    chat = MemoryChat(
        handler,
        platform="console",
        workspace="local",
        user_id=getpass.getuser(),
        events=f"console-{uuid.uuid4().hex}",
    )
    buttons: list[Button] = []
    while (line := await _read_line(stream, "> " if interactive else "")) is not None:
        text, key = parse_line(line, buttons)
        if interactive is False:
            print(f"> {line}")
        replies = await chat.send(chat.message(text, button=key))
        print(render(replies), flush=True)
        buttons = [b for reply in replies for b in reply.buttons]
