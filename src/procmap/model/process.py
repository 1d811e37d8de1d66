"""pydantic models of format 1. No I/O and no YAML here: they validate plain data."""

from __future__ import annotations

from enum import Enum
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
)
from pydantic.json_schema import SkipJsonSchema

from procmap.model.fields import (
    CalendarText,
    CasesPerDay,
    CostPerHour,
    Hours,
    HoursPerDay,
    Id,
    PositiveNumber,
    Probability,
    Text,
    TimeZoneName,
    VaryingHours,
)

#: hours a person of a role works per day when the role says nothing (`availability`)
DEFAULT_AVAILABILITY = 8.0

class Kind(str, Enum):
    START = "start"
    END = "end"
    TASK = "task"
    APPROVAL = "approval"
    DECISION = "decision"
    PARALLEL = "parallel"
    SUBPROCESS = "subprocess"
    WAIT = "wait"


#: kinds that do work and so must name the role doing it
WORK_KINDS = frozenset({Kind.TASK, Kind.APPROVAL, Kind.WAIT, Kind.SUBPROCESS})
#: kinds whose several transitions are an exclusive choice
CHOICE_KINDS = frozenset({Kind.DECISION, Kind.APPROVAL})


#: Where `split_extensions` puts a mapping's `x-` keys. It holds a NUL character, which
#: YAML text cannot contain, so no file can write this key itself.
EXTENSIONS_KEY = "\x00x-"


class _Node(BaseModel):
    """Common behaviour: unknown keys are errors, `x-` keys are kept as extensions.

    The docstring under each field is its description in the JSON Schema (editors show
    it on hover); `procmap.model.schema` reads them from this file's source, because
    pydantic's `use_attribute_docstrings` would parse it at every start-up.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True,
                              regex_engine="python-re",
                              json_schema_extra={"patternProperties": {"^x-": {}}})

    extensions: SkipJsonSchema[dict[str, Any]] = Field(
        default_factory=dict, exclude=True, validation_alias=EXTENSIONS_KEY)


def split_extensions(data: Any) -> Any:
    """Move the `x-` keys of a process or catalog, its roles, steps and transitions into
    EXTENSIONS_KEY (in place). Values under `x-` keys are user data and stay as written."""
    if not isinstance(data, dict):
        return data
    _split(data)
    for key, children in (("roles", None), ("steps", "next")):
        items = data.get(key)
        if not isinstance(items, list):
            continue
        for item in items:
            if isinstance(item, dict):
                _split(item)
                nested = item.get(children) if children else None
                if isinstance(nested, list):
                    for transition in nested:
                        if isinstance(transition, dict):
                            _split(transition)
    return data


def _split(mapping: dict[str, Any]) -> None:
    extensions = {k: mapping.pop(k) for k in [k for k in mapping if k[:2] == "x-"]}
    if extensions:
        mapping[EXTENSIONS_KEY] = extensions


class Transition(_Node):
    """A way out of a step: the step it leads to, and when or how often it is taken."""

    to: Id
    """The id of the step this transition leads to."""
    when: Text | None = None
    """The condition under which this way is taken (shown on the arrow)."""
    probability: Probability | None = None
    """The share of cases that take this way (0..1); the probabilities of a step's ways sum
    to 1."""


class Role(_Node):
    """A role (swimlane): who does the work, how many of them, and when."""

    id: Id
    """The role's id, used by `role`, `owner`, `accountable`, `consulted`, `informed` and
    `reports_to`."""
    name: Text | None = None
    """The role's display name (any language)."""
    capacity: PositiveNumber = 1.0
    """How many people fill this role (a number > 0)."""
    availability: HoursPerDay = DEFAULT_AVAILABILITY
    """Productive time per person per day or week, e.g. 8h/d or 37.5h/w (default 8h/d)."""
    reports_to: Id | None = None
    """The id of the role this role reports to (its authority chain)."""
    description: Text | None = None
    """Free text about the role."""
    calendar: CalendarText | None = None
    """Working hours, e.g. "mon-fri 09:00-18:00" or "24/7"."""
    timezone: TimeZoneName | None = None
    """The IANA time zone of the calendar, e.g. Asia/Shanghai."""
    cost: CostPerHour | None = None
    """Cost of one person-hour, e.g. 85/h (currency from [money] in procmap.toml)."""

    @property
    def label(self) -> str:
        return self.name or self.id


class Step(_Node):
    """A step of the process: an event, a task, an approval, a gateway, a wait or a call."""

    id: Id
    """The step's id, unique in its process; transitions name it."""
    name: Text | None = None
    """The step's display name (any language)."""
    kind: Kind = Kind.TASK
    """What the step is: start, end, task (default), approval, decision, parallel, subprocess
    or wait."""
    role: Id | None = None
    """The id of the role that does this step (required for task, approval, wait and
    subprocess)."""
    duration: VaryingHours = 0.0
    """Working time per case, e.g. 30m, 1.5h, 1d4h, PT30M, or {median, p90} when it varies."""
    wait: VaryingHours = 0.0
    """Waiting time per case before the work starts, as for duration."""
    sla: Hours | None = None
    """The longest this step may take (wait + duration)."""
    deadline: Hours | None = None
    """The latest this step may finish, measured from the start of the case."""
    accountable: Id | None = None
    """The id of the role accountable for this step (the A of RACI)."""
    consulted: list[Id] = Field(default_factory=list)
    """Roles consulted on this step (the C of RACI): one id or a list."""
    informed: list[Id] = Field(default_factory=list)
    """Roles informed of this step (the I of RACI): one id or a list."""
    of: Text | None = None
    """For approvals: what is approved (approvals of the same thing can be redundant)."""
    process: Id | None = None
    """For subprocess steps: the id of the process called."""
    system: Text | None = None
    """The IT system the step is done in."""
    description: Text | None = None
    """Free text about the step."""
    activity: list[Text] = Field(default_factory=list)
    """The step's names in event logs (for conform): one name or a list."""
    instructions: Text | None = None
    """How to do the step, for the operating handbook."""
    inputs: list[Text] = Field(default_factory=list)
    """What the step needs: one item or a list."""
    outputs: list[Text] = Field(default_factory=list)
    """What the step produces: one item or a list."""
    # the JSON Schema view of `next` (shorthands included) is set in model/schema.py
    next: Annotated[list[Transition], WithJsonSchema({"type": "array"})] = Field(
        default_factory=list)
    """Where a case goes next: a step id, or a list of step ids and transitions."""

    @field_validator("next", mode="before")
    @classmethod
    def _next_shorthand(cls, value: Any) -> Any:
        """`next: resolve` and `next: [a, b]` are shorthands for `- to: ...` entries."""
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return [{"to": value}]
        if isinstance(value, list) and not all(type(item) is dict for item in value):
            return [{"to": item} if isinstance(item, (str, int)) and not isinstance(
                item, bool) else item for item in value]
        return value

    @field_validator("consulted", "informed", "activity", "inputs", "outputs", mode="before")
    @classmethod
    def _single_item(cls, value: Any) -> Any:
        """`informed: customer` is a shorthand for a list of one (`12` is an id too)."""
        single = isinstance(value, (str, int)) and not isinstance(value, bool)
        return [value] if single else value

    @property
    def activity_names(self) -> list[str]:
        """The names of this step in event logs: `activity`, else its id and its name."""
        if self.activity:
            return list(self.activity)
        return [self.id] if self.name is None or self.name == self.id else [self.id, self.name]

    @property
    def label(self) -> str:
        return self.name or self.id

    @property
    def time(self) -> float:
        """Hours a case spends here: waiting, then working."""
        return self.wait + self.duration

    @property
    def ignored_rules(self) -> frozenset[str]:
        value = self.extensions.get("x-ignore", ())
        if isinstance(value, str):
            return frozenset({value})
        if isinstance(value, list):
            return frozenset(str(v) for v in value)
        return frozenset()

    @property
    def targets(self) -> list[str]:
        return [t.to for t in self.next]


class Process(_Node):
    """A business process, format 1."""

    procmap: Literal[1]
    """The format version: always 1."""
    id: Id
    """The process id, unique in a repository; subprocess steps name it."""
    name: Text
    """The process's display name (any language)."""
    description: Text | None = None
    """Free text about the process."""
    owner: Id | None = None
    """The id of the role that owns the process."""
    version: Text | None = None
    """The process's own version label."""
    purpose: Text | None = None
    """Why the process exists, for the operating handbook."""
    scope: Text | None = None
    """Where the process starts and ends, for the operating handbook."""
    sla: Hours | None = None
    """The longest a case may take from start to end, e.g. 3d."""
    demand: CasesPerDay | None = None
    """How many cases arrive, e.g. 40/d (per hour h, day d or week w)."""
    tags: list[Text] = Field(default_factory=list)
    """Free labels."""
    roles: list[Role] = Field(default_factory=list)
    """Roles defined in this file (a role catalog can define them for all processes)."""
    steps: list[Step] = Field(min_length=1)
    """The steps, in the order a case usually passes them."""

    def step(self, step_id: str) -> Step | None:
        return self.step_index.get(step_id)

    @cached_property
    def step_index(self) -> dict[str, Step]:
        """Step id -> step (the first, when ids repeat: duplicate-id reports the rest)."""
        index: dict[str, Step] = {}
        for step in self.steps:
            index.setdefault(step.id, step)
        return index

    @property
    def label(self) -> str:
        return self.name or self.id


class Catalog(_Node):
    """A role catalog: roles shared by the processes of an invocation."""

    procmap: Literal[1]
    """The format version: always 1."""
    id: Id | None = None
    """An id for the catalog (optional)."""
    name: Text | None = None
    """The catalog's display name."""
    description: Text | None = None
    """Free text about the catalog."""
    roles: list[Role] = Field(min_length=1)
    """The roles this catalog defines for every process of the repository."""


#: every key format 1 knows, per object, for did-you-mean suggestions
KNOWN_KEYS: dict[str, frozenset[str]] = {
    name: frozenset(k for k in model.model_fields if k != "extensions")
    for name, model in (("process", Process), ("catalog", Catalog), ("role", Role),
                        ("step", Step), ("transition", Transition))
}
