//! `vpws-sim`: the demo VPWS gateway as a standalone server.

use clap::Parser;
use vpws_sim::{DemoData, DemoGateway, SimConfig};

#[derive(Parser)]
#[command(
    version,
    about = "Dealer Desk demo gateway: the VPWS API and a 3D Secure page on 127.0.0.1"
)]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 18080)]
    port: u16,
    /// Access-token lifetime in seconds.
    #[arg(long = "token-ttl", default_value_t = 24 * 60 * 60)]
    token_ttl: u64,
    /// Print the demo dealers (apiKey, secretKey), POS, BINs and test cards as JSON, then exit.
    #[arg(long = "demo-data")]
    demo_data: bool,
    /// Print the OpenAPI document generated from the code, then exit.
    #[arg(long = "openapi")]
    openapi: bool,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    if args.openapi {
        print!("{}", vpws_sim::generated_openapi());
        return Ok(());
    }
    if args.demo_data {
        let json =
            serde_json::to_string_pretty(&DemoData::standard()).map_err(std::io::Error::other)?;
        println!("{json}");
        return Ok(());
    }
    {
        use tracing_subscriber::prelude::*;
        let levels: tracing_subscriber::filter::Targets = std::env::var("RUST_LOG")
            .ok()
            .and_then(|wanted| wanted.parse().ok())
            .unwrap_or_else(|| "vpws_sim=info".parse().expect("the usual log levels parse"));
        tracing_subscriber::registry()
            .with(tracing_subscriber::fmt::layer())
            .with(levels)
            .init();
    }
    let config = SimConfig {
        token_ttl_seconds: args.token_ttl,
        ..SimConfig::default()
    };
    let gateway = DemoGateway::start_on(args.port, config, DemoData::standard()).await?;
    println!("VPWS demo gateway on {}", gateway.base_url());
    tokio::signal::ctrl_c().await?;
    gateway.shutdown().await;
    Ok(())
}
