//! The stages of a discovery, each announced to the caller and timed.

use std::sync::Arc;
use std::time::Instant;

/// A callback told the name of each stage as it starts (for progress bars).
pub type StageCallback = Arc<dyn Fn(&str) + Send + Sync>;

/// Runs stages in order, calling the callback when one starts and recording
/// the seconds each took.
pub struct Stages<'a> {
    on_stage: Option<&'a StageCallback>,
    timings: Vec<(String, f64)>,
}

impl<'a> Stages<'a> {
    /// No stage run yet.
    pub fn new(on_stage: Option<&'a StageCallback>) -> Stages<'a> {
        Stages {
            on_stage,
            timings: Vec::new(),
        }
    }

    /// Runs `stage` as the stage `name`: announced, timed, its result
    /// returned.
    pub fn run<T>(&mut self, name: &str, stage: impl FnOnce() -> T) -> T {
        if let Some(f) = self.on_stage {
            f(name);
        }
        let start = Instant::now();
        let out = stage();
        self.timings
            .push((name.to_string(), start.elapsed().as_secs_f64()));
        out
    }

    /// The seconds of every stage run, in order.
    pub fn timings(self) -> Vec<(String, f64)> {
        self.timings
    }
}
