//! The Budapest Post server binary.

use std::process::ExitCode;

use budapest_post_server::config::{Cli, Command, ReportsAction};
use budapest_post_store::{report_reference, Database, Store};
use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    if let Some(parent) = cli.database.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let database = Database::sqlite(&cli.database);
    let store = Store::open(&database)
        .await
        .map_err(|e| format!("cannot open {database}: {e}"))?;
    match cli.command {
        None => budapest_post_server::serve(store, cli.serve).await,
        Some(Command::Serve(options)) => budapest_post_server::serve(store, options).await,
        Some(Command::Reports { action }) => reports(&store, action).await,
    }
}

async fn reports(store: &Store, action: ReportsAction) -> Result<(), String> {
    match action {
        ReportsAction::List { status, json } => {
            let reports = store.reports(status).await.map_err(|e| e.to_string())?;
            if json {
                let text = serde_json::to_string_pretty(&reports).map_err(|e| e.to_string())?;
                println!("{text}");
            } else if reports.is_empty() {
                println!("No reports.");
            } else {
                for r in reports {
                    println!(
                        "{}  {:<8}  {}  {}\n    quoted:  {}\n    wrong:   {}\n    correct: {}{}{}",
                        r.reference,
                        r.status.as_str(),
                        r.created_at,
                        r.article_slug,
                        r.quoted_passage,
                        r.what_is_wrong,
                        r.correction,
                        r.source_url
                            .map(|u| format!("\n    source:  {u}"))
                            .unwrap_or_default(),
                        r.email
                            .map(|e| format!("\n    email:   {e}"))
                            .unwrap_or_default(),
                    );
                }
            }
            Ok(())
        }
        ReportsAction::Resolve { id } => {
            let number: i64 = id
                .trim_start_matches("BP-")
                .parse()
                .map_err(|_| format!("`{id}` is not a report number like 42 or BP-000042"))?;
            let found = store
                .resolve_report(number)
                .await
                .map_err(|e| e.to_string())?;
            if found {
                println!("{} resolved.", report_reference(number));
                Ok(())
            } else {
                Err(format!("there is no report {id}"))
            }
        }
    }
}
