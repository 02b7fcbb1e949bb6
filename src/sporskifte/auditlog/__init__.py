"""The audit log's pages: the system administrator's search and a person's extract of who
looked at them. They read people and accounts, so they sit above both; recording an event
(``sporskifte.audit``) sits below every app that records one. The templates stay under
``audit/`` and the URL namespace stays ``audit``."""
