"""Activities' part of what is held about a person (``timebank.personal_data``): nothing of their own.
Activities and sessions name people only as the staff who made an activity or marked a session's
attendance (``exempt``); a resident's places are attendance's part."""

from __future__ import annotations

from timebank.personal_data import Part

PART = Part(name="activities", exempt={
    "activities": "who created the activity: the organisation's record of its own work, not the person's data; "
                  "tied to the pseudonym if they leave",
    "activity_sessions": "who marked the session's attendance: the organisation's record of its own work (the "
                         "people who came are in their sign-ups); tied to the pseudonym if they leave",
})
