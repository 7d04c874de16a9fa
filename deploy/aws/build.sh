#!/bin/sh
# Build deploy/aws/build/trailaudit-lambda.zip, the code of every function of template.yaml.
# Usage (from the repository): deploy/aws/build.sh [--rules your-rules.yaml]
# Needs node_modules (npm ci) and the `zip` command; no network.
set -eu
cd "$(dirname "$0")/../.."
npm run build
npx tsx scripts/lambdaBundle.ts "$@"
