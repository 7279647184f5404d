//! Shapes and their areas.
pub mod util;

use util::square;

/// Something with an area and a name.
pub trait Shape {
    /// The type a shape measures its sides in.
    type Unit;
    /// The area of the shape, in square units.
    fn area(&self) -> f64;
    /// A name for the shape, for display.
    fn name(&self) -> String {
        String::from("shape")
    }
}

/// A circle given by its radius.
pub struct Circle {
    pub r: f64,
}

/// An axis-aligned square given by its side.
pub struct Square {
    pub side: f64,
}

/// A point, which has no area.
pub struct Point;

impl Shape for Circle {
    type Unit = f64;
    /// The area of the circle: pi times the radius squared.
    fn area(&self) -> f64 {
        std::f64::consts::PI * square(self.r)
    }
    /// Calls the circle a circle, whatever its size.
    fn name(&self) -> String {
        String::from("circle")
    }
}

impl Shape for Square {
    type Unit = f64;
    /// The area of the square: its side squared.
    fn area(&self) -> f64 {
        square(self.side)
    }
}

impl Shape for Point {
    type Unit = ();
    /// The area of a point, which is always zero.
    fn area(&self) -> f64 {
        0.0
    }
}

/// The total area of all the given shapes together.
pub fn total_area(shapes: &[&dyn Shape<Unit = f64>]) -> f64 {
    let mut sum = 0.0;
    for s in shapes {
        sum += s.area();
    }
    util::log_total(sum);
    sum
}

/// Describes a circle of radius r by its name and area.
pub fn describe_circle(r: f64) -> String {
    let c = Circle { r };
    format!("{} {}", c.name(), c.area())
}
