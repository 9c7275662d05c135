//! The course projects' program subjects: references (in both course protocol versions, each
//! with its profile), the course-style Python twins, and the mutants scenarios must catch.

pub mod chat;
pub mod files;
pub mod http;
