//! Small helpers.

/// Multiplies a number by itself and returns it.
pub fn square(x: f64) -> f64 {
    x * x
}

/// Multiplies a number by itself and returns it.
pub fn square_again(x: f64) -> f64 {
    x * x
}

/// Writes the total area to the log and counts it.
pub fn log_total(total: f64) {
    eprintln!("total {}", total);
    count(1);
}

/// Counts calls to the log, recursively for no good reason.
pub fn count(n: u32) -> u32 {
    if n == 0 { 0 } else { count(n - 1) + 1 }
}

/// Returns the area of a unit circle, from the crate's own circle.
pub fn unit_area() -> f64 {
    let c = crate::Circle { r: 1.0 };
    crate::Shape::area(&c)
}

/// Copies of helpers with the same body as square.
pub fn twice(x: f64) -> f64 {
    x * x
}

/// Helpers for the first caller.
pub mod first {
    /// The answer the first caller expects from its helper.
    pub fn helper() -> u32 {
        42
    }
}

/// Helpers for the second caller.
pub mod second {
    /// The second caller's helper, written the same way as the first's.
    pub fn helper() -> u32 {
        42
    }

    /// Calls a helper that is not in this crate and one that is.
    pub fn call_both() -> u32 {
        other_crate::helper() + helper()
    }
}
