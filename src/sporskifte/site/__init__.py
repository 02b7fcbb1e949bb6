"""The site as a whole: the pages that know about every app (the start page that sends each
role to its work, the accessibility and privacy statements). It sits above all apps, so no app
imports it; the URL namespace stays ``core`` so links to ``core:home`` keep working."""
