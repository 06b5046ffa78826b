"""The pupil-premium service: Pupil Premium Plus budgets, requests, panel decisions and payments."""
