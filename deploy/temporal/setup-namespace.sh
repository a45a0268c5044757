#!/bin/sh
# Creates the namespace and registers reglament's custom search attributes, so managers can filter
# tickets in Temporal UI (the worker checks them again at start).
set -eu
ADDRESS=${TEMPORAL_ADDRESS:-temporal:7233}
NS=${TEMPORAL_NAMESPACE:-default}
until temporal operator cluster health --address "$ADDRESS" >/dev/null 2>&1; do echo 'waiting for Temporal...'; sleep 2; done
temporal operator namespace describe -n "$NS" --address "$ADDRESS" >/dev/null 2>&1 \
  || temporal operator namespace create -n "$NS" --retention 30d --address "$ADDRESS"
for attr in TicketType:Keyword TicketStatus:Keyword SupportLine:Keyword Organization:Keyword Regulation:Keyword SlaDueAt:Datetime SlaBreached:Bool; do
  name=${attr%%:*}
  type=${attr##*:}
  temporal operator search-attribute list -n "$NS" --address "$ADDRESS" | grep -qw "$name" \
    || temporal operator search-attribute create -n "$NS" --name "$name" --type "$type" --address "$ADDRESS"
done
echo "namespace $NS ready with reglament's search attributes"
