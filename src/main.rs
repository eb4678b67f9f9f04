use clap::Parser;
use gatehouse::cli::{self, Cli};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // A missing .env is normal; settings then come from the environment and flags.
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    gatehouse::telemetry::init(&cli.settings.log_format);
    cli::run(cli).await
}
