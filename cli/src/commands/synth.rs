//! TODO(skeleton): `synth` commands — being written.
use crate::global::GlobalArgs;

#[derive(clap::Subcommand, Debug)]
pub enum SynthCommand {}

pub async fn run(cmd: SynthCommand, _global: &GlobalArgs) -> anyhow::Result<()> {
    match cmd {}
}
