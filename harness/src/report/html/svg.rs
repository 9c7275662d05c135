//! What the pictures share: a time axis that maps microseconds (or a checker's logical
//! steps) to x, with round ticks, and the rough width of a label.

use maud::{html, Markup};

use super::view::micros;

/// The picture's width in SVG units; it scales to the page.
pub const WIDTH: f64 = 960.0;
/// Room on the left for the lanes' names.
pub const LABELS: f64 = 150.0;
const RIGHT: f64 = 16.0;
/// The rough width of one character at the pictures' 11px font.
pub const CHAR: f64 = 6.4;

/// Maps times from `from` to `to` onto the plot.
pub struct Scale {
    pub from: u64,
    pub to: u64,
    /// Logical steps of a checker, not microseconds.
    pub logical: bool,
}

impl Scale {
    pub fn new(from: u64, to: u64, logical: bool) -> Scale {
        Scale {
            from,
            to: to.max(from + 1),
            logical,
        }
    }

    pub fn x(&self, t: u64) -> f64 {
        let plot = WIDTH - LABELS - RIGHT;
        LABELS + (t.saturating_sub(self.from)) as f64 / (self.to - self.from) as f64 * plot
    }

    pub fn label(&self, t: u64) -> String {
        if self.logical {
            format!("step {t}")
        } else {
            micros(t)
        }
    }

    /// Grid lines and their labels, from `top` down to `bottom`.
    pub fn ticks(&self, top: f64, bottom: f64) -> Markup {
        let span = self.to - self.from;
        // The smallest of 1, 2, 5 x 10^k that gives at most 8 ticks.
        let mut step = 1u64;
        'search: for k in 0..15 {
            for m in [1, 2, 5] {
                step = m * 10u64.pow(k);
                if span / step <= 8 {
                    break 'search;
                }
            }
        }
        let first = self.from.div_ceil(step) * step;
        let ticks: Vec<u64> = (0..)
            .map(|i| first + i * step)
            .take_while(|t| *t <= self.to)
            .collect();
        html! {
            g.axis {
                @for t in ticks {
                    line x1=(fmt(self.x(t))) x2=(fmt(self.x(t))) y1=(fmt(top)) y2=(fmt(bottom)) {}
                    text x=(fmt(self.x(t))) y=(fmt(top - 4.0)) text-anchor="middle" { (self.label(t)) }
                }
            }
        }
    }
}

/// A coordinate with one decimal: short, and enough for a picture.
pub fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

/// How many characters fit in `width` units.
pub fn fits(width: f64) -> usize {
    (width / CHAR).max(0.0) as usize
}
