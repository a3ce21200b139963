//! The Budapest Post server binary.

use std::process::ExitCode;

use budapest_post_server::config::{Cli, Command};
use budapest_post_server::editors;
use budapest_post_store::{Database, Store};
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
    let database = Database::parse(&cli.database);
    if let Database::Sqlite(file) = &database {
        if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
    }
    let options = cli.store_options();
    let store = Store::open_with(&database, &options)
        .await
        .map_err(|e| format!("cannot open {database}: {e}"))?;
    let printed = match cli.command {
        None => return budapest_post_server::serve(store, cli.serve).await,
        Some(Command::Serve(options)) => return budapest_post_server::serve(store, options).await,
        Some(Command::Reports { action }) => editors::reports(&store, action).await?,
        Some(Command::Corrections { action }) => editors::corrections(&store, action).await?,
        Some(Command::Readers { action }) => editors::readers(&store, action).await?,
        Some(Command::Newsletter { action }) => editors::newsletter(&store, action).await?,
        Some(Command::Database { action }) => editors::database(&store, action, &options).await?,
    };
    println!("{printed}");
    Ok(())
}
