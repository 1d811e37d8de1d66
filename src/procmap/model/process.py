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
    """Common behaviour: unknown keys are errors, `x-` keys are kept as extensions."""

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
    to: Id
    when: Text | None = None
    probability: Probability | None = None


class Role(_Node):
    id: Id
    name: Text | None = None
    capacity: PositiveNumber = 1.0
    availability: HoursPerDay = 8.0
    reports_to: Id | None = None
    description: Text | None = None
    calendar: CalendarText | None = None
    timezone: TimeZoneName | None = None
    cost: CostPerHour | None = None

    @property
    def label(self) -> str:
        return self.name or self.id


class Step(_Node):
    id: Id
    name: Text | None = None
    kind: Kind = Kind.TASK
    role: Id | None = None
    duration: VaryingHours = 0.0
    wait: VaryingHours = 0.0
    sla: Hours | None = None
    deadline: Hours | None = None
    accountable: Id | None = None
    consulted: list[Id] = Field(default_factory=list)
    informed: list[Id] = Field(default_factory=list)
    of: Text | None = None
    process: Id | None = None
    system: Text | None = None
    description: Text | None = None
    activity: list[Text] = Field(default_factory=list)
    instructions: Text | None = None
    inputs: list[Text] = Field(default_factory=list)
    outputs: list[Text] = Field(default_factory=list)
    # the JSON Schema view of `next` (shorthands included) is set in model/schema.py
    next: Annotated[list[Transition], WithJsonSchema({"type": "array"})] = Field(
        default_factory=list)

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
    procmap: Literal[1]
    id: Id
    name: Text
    description: Text | None = None
    owner: Id | None = None
    version: Text | None = None
    purpose: Text | None = None
    scope: Text | None = None
    sla: Hours | None = None
    demand: CasesPerDay | None = None
    tags: list[Text] = Field(default_factory=list)
    roles: list[Role] = Field(default_factory=list)
    steps: list[Step] = Field(min_length=1)

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
    id: Id | None = None
    name: Text | None = None
    description: Text | None = None
    roles: list[Role] = Field(min_length=1)


#: every key format 1 knows, per object, for did-you-mean suggestions
KNOWN_KEYS: dict[str, frozenset[str]] = {
    name: frozenset(k for k in model.model_fields if k != "extensions")
    for name, model in (("process", Process), ("catalog", Catalog), ("role", Role),
                        ("step", Step), ("transition", Transition))
}
