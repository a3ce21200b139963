//! The API's health check: whether this node can serve, which is whether it reaches its
//! database. Load balancers and monitors ask it; readers never see it.

use serde::{Deserialize, Serialize};

/// Whether the node can serve requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum HealthStatus {
    /// It can.
    Ok,
    /// It cannot: its database did not answer.
    Unavailable,
}

/// Whether the node's database answered a round trip just now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum DatabaseReachability {
    /// It answered.
    Reachable,
    /// It did not (down, refusing connections, or too slow).
    Unreachable,
}

/// The health check's answer: `200` with `ok`/`reachable`, or `503` with
/// `unavailable`/`unreachable`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// Whether the node can serve.
    pub status: HealthStatus,
    /// Whether its database answered.
    pub database: DatabaseReachability,
}

impl Health {
    /// The answer for a node whose database did or did not answer.
    pub fn of(database_reachable: bool) -> Self {
        if database_reachable {
            Self {
                status: HealthStatus::Ok,
                database: DatabaseReachability::Reachable,
            }
        } else {
            Self {
                status: HealthStatus::Unavailable,
                database: DatabaseReachability::Unreachable,
            }
        }
    }

    /// Whether the node can serve.
    pub fn is_ok(&self) -> bool {
        self.status == HealthStatus::Ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_answers_have_their_documented_json() {
        assert_eq!(
            serde_json::to_value(Health::of(true)).unwrap(),
            serde_json::json!({"status": "ok", "database": "reachable"})
        );
        assert_eq!(
            serde_json::to_value(Health::of(false)).unwrap(),
            serde_json::json!({"status": "unavailable", "database": "unreachable"})
        );
        assert!(Health::of(true).is_ok() && !Health::of(false).is_ok());
    }
}
