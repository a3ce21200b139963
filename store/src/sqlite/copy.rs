//! Reading every row of every table, for a copy into another database.

use rusqlite::Row;

use super::SqliteStore;
use crate::copy::{Kind, Snapshot, Value, TABLES};
use crate::StoreError;

fn value(row: &Row<'_>, index: usize, kind: Kind) -> rusqlite::Result<Value> {
    Ok(match kind {
        Kind::Integer => row.get::<_, Option<i64>>(index)?.map(Value::Integer),
        Kind::Text => row.get::<_, Option<String>>(index)?.map(Value::Text),
        Kind::Boolean => row.get::<_, Option<bool>>(index)?.map(Value::Boolean),
        Kind::Bytes => row.get::<_, Option<Vec<u8>>>(index)?.map(Value::Bytes),
    }
    .unwrap_or(Value::Null))
}

impl SqliteStore {
    /// See [`crate::Store::snapshot`]: read in one transaction, so the copy is of one moment.
    pub async fn snapshot(&self) -> Result<Snapshot, StoreError> {
        self.with_reader(|c| {
            c.execute_batch("BEGIN")?;
            let read = TABLES
                .iter()
                .map(|table| {
                    let mut statement = c.prepare(&table.select())?;
                    let rows = statement.query_map([], |row| {
                        (0..)
                            .zip(table.columns)
                            .map(|(index, (_, kind))| value(row, index, *kind))
                            .collect::<rusqlite::Result<Vec<_>>>()
                    })?;
                    rows.collect::<rusqlite::Result<Vec<_>>>()
                })
                .collect::<rusqlite::Result<Vec<_>>>();
            c.execute_batch("COMMIT")?;
            Ok(Snapshot { tables: read? })
        })
        .await
    }
}
