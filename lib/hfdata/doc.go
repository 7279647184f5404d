// Package hfdata is a dataset as the Hugging Face Hub holds it: the column
// schema inferred from JSON records (with its merge rule), the Parquet
// shards per split, and the dataset card with its YAML front matter.
package hfdata
