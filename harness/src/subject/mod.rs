pub mod control;
pub mod isolate;
pub mod output;
pub mod spec;
pub mod supervisor;
pub mod target;
pub mod tree;
