// read.mjs prints the rows of Parquet files as JSON, one object a line,
// with an independent reader: hyparquet (pure JavaScript) or DuckDB.
//
//	node read.mjs hyparquet|duckdb FILE.parquet...
//
// dw-upload's tests compare its output with the records written.
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { DuckDBInstance } from '@duckdb/node-api'

const [reader, ...files] = process.argv.slice(2)
if (!['hyparquet', 'duckdb'].includes(reader) || files.length === 0) {
  console.error('usage: node read.mjs hyparquet|duckdb FILE.parquet...')
  process.exit(2)
}

// JSON.stringify cannot write a BigInt: an int64 within 2^53 is a number,
// a larger one fails, as it cannot be compared exactly.
function replacer(_key, value) {
  if (typeof value !== 'bigint') return value
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new Error(`int64 ${value} beyond 2^53`)
  }
  return Number(value)
}

if (reader === 'hyparquet') {
  for (const file of files) {
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(file), compressors })
    for (const row of rows) process.stdout.write(JSON.stringify(row, replacer) + '\n')
  }
} else {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' })
  const conn = await instance.connect()
  const list = files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ')
  // DuckDB writes the JSON itself, row by row in file order.
  const result = await conn.runAndReadAll(`SELECT CAST(to_json(t) AS VARCHAR) AS j FROM read_parquet([${list}]) t`)
  for (const [j] of result.getRows()) process.stdout.write(j + '\n')
  conn.closeSync()
  instance.closeSync()
}
