// Package stats summarizes a stream of records: counts by kind and by chosen
// fields, token totals, min/max/mean and percentiles, a fixed-width
// histogram, shares of size buckets, and the histogram drawn as SVG or PNG.
package stats
