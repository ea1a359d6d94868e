# For scripts/q3-one-client.sh: the sidecar's own part of each request at one connection, read off the
# wire. Input: `tcpdump -tt -nn` lines of the segments that carry data (PSH) on lo, between the load
# generator and the sidecar (port GQL), the sidecar and Postgres (PG) and the sidecar and the remote
# (REMOTE). One client, so the segments between a request's first byte and its response's last are
# that request's own. Per request:
#   in the sidecar   the request's first segment in to the response's last segment out;
#   Postgres         the statement's first segment out to the answer's last segment in;
#   the remote       the call's first segment out to the answer's last segment in;
#   own              in the sidecar - Postgres - the remote: what the sidecar itself took, wake-ups
#                    of its own threads included, and nothing of the others' (their wake-ups count
#                    as theirs: they happen between a segment sent to them and their answer);
#   hops 1, 2, 3     request in -> statement out, answer in -> call out, the remote's answer in ->
#                    response out.
# Prints one line: requests, then the medians (ms) of own, in the sidecar, Postgres, the remote and
# the three hops. Usage: awk -v GQL=18180 -v PG=5432 -v REMOTE=4390 -f on-the-wire.awk dump.txt
function port(address,   parts, n) { n = split(address, parts, "."); sub(":", "", parts[n]); return parts[n] }
function median(a, n,   i, j, x) {
  for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j > 0 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function close_request() {
  if (start && done && pg_out && pg_in && remote_out && remote_in) {
    n++
    inside[n] = (done - start) * 1000
    pg[n] = (pg_in - pg_out) * 1000
    remote[n] = (remote_in - remote_out) * 1000
    own[n] = inside[n] - pg[n] - remote[n]
    hop1[n] = (pg_out - start) * 1000
    hop2[n] = (remote_out - pg_in) * 1000
    hop3[n] = (done - remote_in) * 1000
  }
  start = done = pg_out = pg_in = remote_out = remote_in = 0
}
$2 == "IP" {
  t = $1; from = port($3); to = port($5)
  if (to == GQL) { if (!start || done) { close_request(); start = t } }
  else if (!start) next
  else if (from == GQL) done = t
  else if (to == PG) { if (!pg_out) pg_out = t }
  else if (from == PG) pg_in = t
  else if (to == REMOTE) { if (!remote_out) remote_out = t }
  else if (from == REMOTE) remote_in = t
}
END {
  close_request()
  if (n == 0) { print "0"; exit }
  printf "%d %.3f %.3f %.3f %.3f %.3f %.3f %.3f\n", n, median(own, n), median(inside, n), median(pg, n),
    median(remote, n), median(hop1, n), median(hop2, n), median(hop3, n)
}
