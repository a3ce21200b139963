//! Reading every row of every table, and writing a copy of another database into an empty one.

use tokio_postgres::types::ToSql;
use tokio_postgres::Row;

use super::PostgresStore;
use crate::copy::{Kind, Snapshot, Value, TABLES};
use crate::StoreError;

fn value(row: &Row, index: usize, kind: Kind) -> Result<Value, StoreError> {
    Ok(match kind {
        Kind::Integer => row.try_get::<_, Option<i64>>(index)?.map(Value::Integer),
        Kind::Text => row.try_get::<_, Option<String>>(index)?.map(Value::Text),
        Kind::Boolean => row.try_get::<_, Option<bool>>(index)?.map(Value::Boolean),
        Kind::Bytes => row.try_get::<_, Option<Vec<u8>>>(index)?.map(Value::Bytes),
    }
    .unwrap_or(Value::Null))
}

/// `value` as a parameter of a column of `kind` (a null typed as the column is).
fn parameter(value: &Value, kind: Kind) -> Result<Box<dyn ToSql + Sync + Send>, StoreError> {
    Ok(match (value, kind) {
        (Value::Null, Kind::Integer) => Box::new(None::<i64>),
        (Value::Null, Kind::Text) => Box::new(None::<String>),
        (Value::Null, Kind::Boolean) => Box::new(None::<bool>),
        (Value::Null, Kind::Bytes) => Box::new(None::<Vec<u8>>),
        (Value::Integer(n), Kind::Integer) => Box::new(*n),
        (Value::Text(text), Kind::Text) => Box::new(text.clone()),
        (Value::Boolean(flag), Kind::Boolean) => Box::new(*flag),
        (Value::Bytes(bytes), Kind::Bytes) => Box::new(bytes.clone()),
        (value, kind) => {
            return Err(StoreError::Corrupt(format!(
                "{value:?} where a {kind:?} column was read"
            )))
        }
    })
}

impl PostgresStore {
    /// See [`crate::Store::snapshot`]: read in one repeatable-read transaction, so the copy is
    /// of one moment.
    pub async fn snapshot(&self) -> Result<Snapshot, StoreError> {
        let mut client = self.client().await?;
        let tx = client
            .build_transaction()
            .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await?;
        let mut tables = Vec::with_capacity(TABLES.len());
        for table in TABLES {
            let rows = tx.query(&table.select(), &[]).await?;
            tables.push(
                rows.iter()
                    .map(|row| {
                        (0..)
                            .zip(table.columns)
                            .map(|(index, (_, kind))| value(row, index, *kind))
                            .collect::<Result<Vec<_>, _>>()
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            );
        }
        tx.commit().await?;
        Ok(Snapshot { tables })
    }

    /// Writes `snapshot` into this database, which must hold no article, report or sign-up,
    /// in one transaction; then moves each drawn id on past the copied ones, so rows added
    /// later get new ids.
    pub async fn restore(&self, snapshot: &Snapshot) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let held: i64 = tx
            .query_one(
                "SELECT (SELECT COUNT(*) FROM articles) + (SELECT COUNT(*) FROM reports)
                      + (SELECT COUNT(*) FROM newsletter_subscribers)",
                &[],
            )
            .await?
            .try_get(0)?;
        if held > 0 {
            return Err(StoreError::Config(
                "the PostgreSQL database already holds articles, reports or sign-ups: a copy \
                 goes into a new, empty database (start no server on it before the copy)"
                    .into(),
            ));
        }
        // A server started on it may have written the masthead and sections: the copy's win.
        tx.batch_execute("DELETE FROM related_articles; DELETE FROM site; DELETE FROM sections")
            .await?;
        for (table, rows) in TABLES.iter().zip(&snapshot.tables) {
            let columns: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
            let placeholders: Vec<String> = (1..=columns.len()).map(|n| format!("${n}")).collect();
            let insert = tx
                .prepare(&format!(
                    "INSERT INTO {} ({}) VALUES ({})",
                    table.name,
                    columns.join(", "),
                    placeholders.join(", ")
                ))
                .await?;
            for row in rows {
                let parameters = row
                    .iter()
                    .zip(table.columns)
                    .map(|(value, (_, kind))| parameter(value, *kind))
                    .collect::<Result<Vec<_>, _>>()?;
                let borrowed: Vec<&(dyn ToSql + Sync)> = parameters
                    .iter()
                    .map(|p| p.as_ref() as &(dyn ToSql + Sync))
                    .collect();
                tx.execute(&insert, &borrowed).await?;
            }
            if table.drawn_id {
                tx.execute(
                    &format!(
                        "SELECT setval(pg_get_serial_sequence('{0}', 'id'),
                                       (SELECT COALESCE(MAX(id), 0) + 1 FROM {0}), false)",
                        table.name
                    ),
                    &[],
                )
                .await?;
            }
        }
        tx.commit().await?;
        self.note_generation(&client).await;
        Ok(())
    }
}
