-- The application's own database beside Temporal's (created by the schema tool).
CREATE DATABASE reglament;
