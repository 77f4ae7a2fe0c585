"""The command line's help pages and usage errors, in Vietnamese, then English.

click (which typer vendors) writes these in English only ("Show this message and exit.",
"Missing argument 'file'.", "No such command 'xephang'.") with type tags such as ``<bool>``,
and newer typers no longer look them up through gettext.  So emutools prints them itself,
from what each command declares (its docstring, arguments, options and their help texts):
the secretary's language first, English after, like every other text of the tool.  The
words themselves are rows of the text catalogue (``help.*``, ``usage.*`` in emutools.texts),
printed in every language at once since a help page comes before any workbook's language.
"""

from __future__ import annotations

import difflib
import re
import textwrap

from emutools.contract import normalize
from emutools.texts import LANGS, both, every, plural, say

HELP_FLAGS = ("--help", "-h")
HELP_LINE = both("help.help_line")
USAGE, OPTIONS = both("help.usage"), both("help.options")
COMMAND_WORD, OPTIONS_WORD = both("help.command", sep="/"), both("help.options_word", sep="/")

# Words a Vietnamese user may type for a command, so "xephang" suggests "rank".
COMMAND_WORDS: dict[str, tuple[str, ...]] = {
    "new": ("tao", "taomoi", "moi", "taobang", "mau"),
    "rank": ("xephang", "xephanglai", "tinh", "tinhdiem", "tinhlai"),
    "check": ("kiemtra", "soat", "ra soat"),
    "demo": ("chaythu", "thu", "vidu"),
    "letters": ("vanban", "taovanban", "totrinh", "bienban", "congvan"),
    "excel": ("nutbam", "macro", "xlsm"),
    "new-period": ("kymoi", "namsau", "kysau", "sangky"),
    "forms": ("phieu", "taophieu", "phieutucham", "guiphieu"),
    "collect": ("thuphieu", "nhanphieu", "gopphieu"),
    "summary": ("tonghop", "tonghopcum", "cacum", "baocaotinh"),
}


def _placeholder(param) -> str:
    """What an argument or an option's value stands for: FILE, FOLDER, vi|en…"""
    if getattr(param, "metavar", None):
        return param.metavar
    return (param.name or "").upper().replace("_", "-")


def _is_flag(param) -> bool:
    return bool(getattr(param, "is_flag", False))


WIDTH = 88  # wrapped here, by words, with the second column kept aligned


def _rows(rows: list[tuple[str, str]]) -> list[str]:
    width = max((len(left) for left, _ in rows), default=0)
    indent = " " * (width + 4)
    return [textwrap.fill(right, WIDTH, initial_indent=f"  {left.ljust(width)}  ",
                          subsequent_indent=indent) if right else f"  {left}" for left, right in rows]


def _arguments(command) -> list:
    return [p for p in command.params if not getattr(p, "opts", None) or not p.opts[0].startswith("-")]


def _options(command) -> list:
    return [p for p in command.params if p not in _arguments(command)]


def usage_line(prog: str, command_name: str | None, command=None) -> str:
    if command is None:
        return f"{USAGE}: {prog} {COMMAND_WORD} [{OPTIONS_WORD}] …"
    args = " ".join(_placeholder(p) if p.required else f"[{_placeholder(p)}]"
                    for p in _arguments(command))
    return f"{USAGE}: {prog} {command_name} [{OPTIONS_WORD}] {args}".rstrip()


def group_help(prog: str, group) -> str:
    """The page for ``emutools`` alone or ``emutools --help``: every command, one line each."""
    lines = [textwrap.fill(group.help or "", WIDTH), "", usage_line(prog, None), "", f"{both('help.commands')}:"]
    lines += _rows([(name, (cmd.help or "").strip().splitlines()[0] if cmd.help else "")
                    for name, cmd in group.commands.items() if not getattr(cmd, "hidden", False)])
    lines += ["", f"{OPTIONS}:", *_rows([(", ".join(HELP_FLAGS), HELP_LINE)]), "",
              f"{both('help.on_one_command')}: {prog} {COMMAND_WORD} --help"]
    return "\n".join(lines)


def command_help(prog: str, name: str, command) -> str:
    """The page for ``emutools NAME --help``: what it does, its arguments and options."""
    lines = [usage_line(prog, name, command), "", textwrap.fill((command.help or "").strip(), WIDTH)]
    arguments = [(_placeholder(p), (p.help or "") + (f" ({both('help.required')})" if p.required else ""))
                 for p in _arguments(command)]
    if arguments:
        lines += ["", f"{both('help.arguments')}:", *_rows(arguments)]
    options = []
    for p in _options(command):
        names = ", ".join([*p.opts, *p.secondary_opts])
        left = names if _is_flag(p) else f"{names} {_placeholder(p)}"
        default = p.default if not _is_flag(p) and p.default not in (None, "") else None
        options.append((left, (p.help or "") + (f" [{both('help.default')}: {default}]"
                                                 if default is not None else "")))
    options.append((", ".join(HELP_FLAGS), HELP_LINE))
    lines += ["", f"{OPTIONS}:", *_rows(options)]
    return "\n".join(lines)


def suggest_command(typed: str, names: list[str]) -> str | None:
    """The command a mistyped or Vietnamese word most likely meant, if any."""
    key = normalize(typed)
    for name, words in COMMAND_WORDS.items():
        if name in names and key in {normalize(w) for w in words}:
            return name
    close = difflib.get_close_matches(typed.lower(), names, n=1, cutoff=0.6)
    return close[0] if close else None


def unknown_command(prog: str, typed: str, names: list[str]) -> str:
    guess = suggest_command(typed, names)
    hint = ("usage.did_you_mean", {"guess": f"{prog} {guess}"}) if guess else \
        ("usage.commands", {"names": ", ".join(names)})
    lines = [say("usage.unknown_command", lang, typed=typed) + say(hint[0], lang, **hint[1]) for lang in LANGS]
    return "\n".join([*lines, _see(prog, None)])


def _see(prog: str, name: str | None) -> str:
    target = f"{prog} {name}" if name else prog
    return f"{both('help.see')}: {target} --help"


def is_usage_error(exc: BaseException) -> bool:
    """click's UsageError family (from click itself or the copy typer vendors)."""
    return any(k.__name__ == "UsageError" for k in type(exc).__mro__)


def usage_error(prog: str, name: str, command, exc: BaseException) -> str:
    """A usage error said in both languages, from the exception's own fields."""
    kind = type(exc).__name__
    param = getattr(exc, "param", None)
    if kind == "MissingParameter" and param is not None:
        what = _placeholder(param) if param in _arguments(command) else param.opts[0]
        lines = every("usage.missing", what=what, help=param.help or what)
    elif kind == "NoSuchOption":
        option = getattr(exc, "option_name", "")
        known = [o for p in _options(command) for o in (*p.opts, *p.secondary_opts)] + list(HELP_FLAGS)
        close = difflib.get_close_matches(option, known, n=1, cutoff=0.5)
        lines = [say("usage.no_such_option", lang, name=name, option=option)
                 + (say("usage.did_you_mean_option", lang, option=close[0]) if close else "")
                 for lang in LANGS]
    elif kind in ("BadParameter", "BadOptionUsage", "BadArgumentUsage") and param is not None:
        what = param.opts[0] if param.opts and param.opts[0].startswith("-") else _placeholder(param)
        lines = every("usage.bad_value", what=what, detail=getattr(exc, "message", "") or "")
    else:
        message = str(getattr(exc, "message", "") or exc)
        extra = re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", message)
        needs_value = re.match(r"Option '(.+)' requires an argument", message)
        if needs_value:
            lines = every("usage.needs_value", option=needs_value.group(1))
        elif extra:
            count = len(extra.group(1).split())
            lines = tuple(plural(count, "usage.extra", lang, extra=extra.group(1)) for lang in LANGS)
        else:
            lines = every("usage.invalid", message=message)
    return "\n".join([usage_line(prog, name, command), *lines, _see(prog, name)])
