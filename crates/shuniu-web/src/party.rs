//! The party-building and coverage capability's service code, shared by pages and API.
