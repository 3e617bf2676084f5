"""The checks across `Settings`' tables (`config_settings.py` runs them once the fields are
valid): what one table names must exist in another, and a desk's platform must have its
token; and the shape of the platforms' tokens."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.office_names import name_key

if TYPE_CHECKING:
    from bot.config_settings import Settings
    from bot.config_tables import TeamSettings

__all__ = [
    "check_channels",
    "check_desks",
    "check_offices",
    "check_sla",
    "check_token",
    "check_webhook",
    "of",
    "unzoned_hours",
]

# What each platform's secret looks like. A token pasted with a space or a line end, or
# Slack's app token put in SLACK_BOT_TOKEN, was refused only once the channel started, as a
# network failure or an error of the platform's own that did not say which setting was wrong.
_TOKENS = {
    "telegram_bot_token": (r"\d+:[\w-]+", "like 123456:ABC-def, the token @BotFather gives"),
    # Telegram's rule for setWebhook's secret_token
    "telegram_webhook_secret": (r"[A-Za-z0-9_-]{1,256}", "1 to 256 letters, digits, '_' or '-'"),
    "slack_bot_token": (
        r"(?!xapp-)\S+",
        "the bot token (xoxb-…); the xapp-… one is SLACK_APP_TOKEN",
    ),
    "slack_app_token": (r"xapp-\S+", "the app-level token (xapp-…, Basic Information in Slack)"),
    # A token there had every request answered 401, its signature checked with the token.
    "slack_signing_secret": (
        r"(?!xox.-|xapp-)\S+",
        "the Signing Secret (Basic Information → App Credentials), not a token",
    ),
}

# Each platform's token, and its other settings: the channel starts only with the token.
_CHANNELS = {
    "telegram_bot_token": (
        "telegram_mode",
        "telegram_webhook_url",
        "telegram_webhook_secret",
        "telegram_api_base_url",
    ),
    "slack_bot_token": ("slack_signing_secret", "slack_app_token", "slack_api_url"),
}

# The token of each desk platform's channel: without it, nothing would post a desk's cards.
_DESK_TOKENS = {"slack": "slack_bot_token", "telegram": "telegram_bot_token"}


def of(names: list[str]) -> str:
    """The names a reference may take, for its error (names of teams and policies, no secret)."""
    return f" ({', '.join(repr(n) for n in names)})" if names else " (there are none)"


def check_desks(settings: Settings) -> None:
    """A Slack or Telegram desk needs that platform's token: else its cards would wait in
    the outbox for no one, while the user is told a person is coming. Agents' ids need
    none (they act only through a desk, and nothing is ever sent to them directly)."""
    for number, team in enumerate(settings.teams):
        platform = team.desk.partition(":")[0]
        token = _DESK_TOKENS.get(platform)
        if token is not None and getattr(settings, token) is None:
            raise ValueError(
                f"teams[{number}].desk is on {platform}, so {token.upper()} (or '{token}'"
                " in the config file) must be set: nothing else can post its cards"
            )


def check_webhook(settings: Settings) -> None:
    """Telegram's webhook mode needs the public https:// address Telegram posts to, and the
    secret it sends back (its shape: `check_token`). The one check of them: named here,
    before the bot migrates and listens, the channel built later takes them as they are."""
    if not (settings.telegram_bot_token and settings.telegram_mode == "webhook"):
        return
    url = settings.telegram_webhook_url
    if not (url and settings.telegram_webhook_secret):
        raise ValueError(
            "TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET"
        )
    if not url.startswith("https://"):
        raise ValueError(
            "TELEGRAM_WEBHOOK_URL must be the public https:// address Telegram posts to"
        )


def check_channels(settings: Settings) -> None:
    """A platform's settings given without its token: a token left out or under another name
    (TELEGRAM_TOKEN) left the bot running without the platform, saying nothing."""
    for token, others in _CHANNELS.items():
        given = [name.upper() for name in others if name in settings.model_fields_set]
        if given and getattr(settings, token) is None:
            are = "is" if len(given) == 1 else "are"
            raise ValueError(
                f"{', '.join(given)} {are} set but {token.upper()} is not: the channel starts"
                " only with its token (set it, or leave the others out)"
            )


def check_offices(settings: Settings, teams: list[str]) -> None:
    """No name or alias names two offices, and each names configured teams and policies."""
    _one_office_a_word(settings)
    policies = [policy.name for policy in settings.sla]
    for number, office in enumerate(settings.offices):
        for key, known, table in (
            ("team", teams, "[[teams]]"),
            ("on_site_team", teams, "[[teams]]"),
            ("sla", policies, "[[sla]] policies"),
        ):
            value = getattr(office, key)
            if value is not None and value not in known:
                raise ValueError(
                    f"offices[{number}].{key} must be the name of one of the {table}{of(known)}"
                )


def _one_office_a_word(settings: Settings) -> None:
    """A word users type (a name or alias, as `office_called` reads it) names one office: a
    second would never be picked by it."""
    seen: dict[str, tuple[int, str, str]] = {}  # the word: the office, its setting, as written
    for number, office in enumerate(settings.offices):
        aliases = (f"aliases[{i}]" for i in range(len(office.aliases)))
        for key, written in zip(("name", *aliases), (office.name, *office.aliases), strict=True):
            first, setting = seen.setdefault(name_key(written), (number, key, written)), key
            if first[0] != number:
                raise ValueError(
                    f'offices[{number}].{setting}: "{written}" is also offices[{first[0]}].'
                    f'{first[1]} ("{first[2]}"): two offices have the same name or alias'
                )


def check_sla(settings: Settings, teams: list[str]) -> None:
    """Policies' names are unique, the default one exists, each escalates to a team."""
    policies = [policy.name for policy in settings.sla]
    if len(set(policies)) != len(policies):
        raise ValueError("sla: two policies have the same name")
    if settings.default_sla is not None and settings.default_sla not in policies:
        raise ValueError(
            f"default_sla must be the name of one of the [[sla]] policies{of(policies)}"
        )
    for number, policy in enumerate(settings.sla):
        if policy.escalate_to is not None and policy.escalate_to not in teams:
            raise ValueError(
                f"sla[{number}].escalate_to must be the name of one of the [[teams]]{of(teams)}"
            )


def check_token(name: str, value: str) -> None:
    """A platform's token or secret of the wrong shape: what it should be (never the value)."""
    if not value.strip():
        raise ValueError("is empty: set the token, or leave the setting out")
    if re.search(r"\s", value):
        raise ValueError("has a space or a line end in it: copy the token alone")
    pattern, should_be = _TOKENS.get(name, (r"\S+", ""))
    if not re.fullmatch(pattern, value):
        raise ValueError(f"must be {should_be}")


def unzoned_hours(settings: Settings) -> list[str]:
    """What the log warns of at the start: a team's `hours` (or, round the clock, its
    `holidays`) given without its `timezone` are read in UTC, hours off for a team elsewhere.
    Not refused (as a policy's are): many set-ups written before would stop."""
    return [
        f"teams[{number}].{why}; add the zone the team works in"
        ' (timezone = "Europe/Berlin"), or timezone = "UTC" if that is meant'
        for number, team in enumerate(settings.teams)
        if (why := _read_in_utc(team))
    ]


def _read_in_utc(team: TeamSettings) -> str | None:
    """Which of the team's working-time settings is read in UTC for want of its zone."""
    if "timezone" in team.model_fields_set:
        return None
    if team.hours != "24/7":
        return f'hours (team "{team.name}"): "{team.hours}" has no timezone, so it is read in UTC'
    if team.holidays:
        days = "days off with no timezone begin and end at midnight UTC"
        return f'holidays (team "{team.name}"): {days}'
    return None
