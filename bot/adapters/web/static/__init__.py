"""The chat page's files (index.html, chat.js, chat-log.js, chat.css), shipped as package data.

This file makes the folder a package so the project's `package-data` globs include them.
"""
