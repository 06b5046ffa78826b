"""The text a client sends to the pupil-premium routes: the limits of ``shared.text``, checked
after surrounding whitespace is trimmed, as this service's commands have always trimmed it."""

from __future__ import annotations

from typing import Annotated

from shared import text
from shared.text import Trimmed

Name = Annotated[text.Name, Trimmed]
Label = Annotated[text.Label, Trimmed]
Title = Annotated[text.Title, Trimmed]
Note = Annotated[text.Note, Trimmed]
