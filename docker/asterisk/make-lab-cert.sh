#!/usr/bin/env bash
# A self-signed certificate for Asterisk's WSS listener (http.conf) in a lab:
#   make-lab-cert.sh KEYS_DIR [HOSTNAME]      → KEYS_DIR/asterisk.crt and KEYS_DIR/asterisk.key
# Browsers refuse a WSS certificate they do not trust: open https://HOSTNAME:8089/ws once and accept it.
# In production put your CA-issued certificate and key under the same two names instead.
set -euo pipefail
dir=${1:?usage: make-lab-cert.sh KEYS_DIR [HOSTNAME]}
host=${2:-localhost}
mkdir -p "$dir"
if [[ -s $dir/asterisk.crt && -s $dir/asterisk.key ]]; then
  echo "make-lab-cert: $dir/asterisk.crt exists; remove it to make a new one" >&2
  exit 0
fi
openssl req -x509 -newkey rsa:2048 -nodes -days 825 -sha256 \
  -subj "/CN=$host" -addext "subjectAltName=DNS:$host,DNS:localhost,IP:127.0.0.1" \
  -keyout "$dir/asterisk.key" -out "$dir/asterisk.crt" 2>/dev/null
chmod 600 "$dir/asterisk.key"
echo "make-lab-cert: wrote $dir/asterisk.crt and $dir/asterisk.key for $host"
