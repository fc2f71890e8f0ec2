// The io.nlroute.Network varlink interface (also shipped as src/daemon/io.nlroute.Network.varlink).
export const NETWORK_INTERFACE = `# nlrouted: the declarative network daemon of nlroute. Desired state and live state are
# given in nlroute's record vocabulary (the same names as NetDB's apply() and snapshot()).
interface io.nlroute.Network

# One step of a plan, as NetDB plans it.
type Step (
  id: int,
  netns: string,
  op: string,
  object: string,
  key: string,
  after: []int
)

type Event (
  type: (added, changed, removed),
  netns: string,
  object: string,
  old: ?object,
  new: ?object
)

type Drift (
  netns: string,
  object: string,
  key: string,
  what: string,
  action: (corrected, reported, failed)
)

# What the daemon is doing and what it has done.
method GetStatus() -> (
  state: (starting, ready, applying, pending_confirm, reloading, failed),
  config_files: []string,
  config_error: ?string,
  # Why the configuration is not applied (state failed): the last apply of it failed.
  apply_error: ?string,
  last_apply_usec: ?int,
  applies: int,
  failures: int,
  drift_corrections: int,
  rollbacks: int,
  objects_managed: int,
  pending_confirm_deadline_usec: ?int
)

# Live state as records. objects: links, addresses, routes, rules, neighbours (all when absent).
method Show(netns: ?string, objects: ?[]string, filter: ?object) -> (state: object)

# What applying the configuration (or the given desired state) would change.
method Diff(desired: ?object) -> (plan: []Step, changes: int)

# Applies a desired state. try_seconds: roll back unless Confirm comes in time.
method Apply(desired: object, dry_run: ?bool, try_seconds: ?int) -> (
  plan: []Step,
  applied: bool,
  pending_confirm: bool
)

# Keeps the state applied with try_seconds.
method Confirm() -> ()

# Rolls back the pending try (or the last apply).
method Rollback() -> (rolled_back: bool)

# Re-reads the configuration directory and applies what changed.
method Reload() -> (plan: []Step, changes: int)

# Streams changes of the live state and drift events. The first reply is empty: it says the
# subscription is in place.
method Monitor(netns: ?string) -> (event: ?Event, drift: ?Drift)

error PermissionDenied (method: string)
error InvalidConfig (file: ?string, line: ?int, column: ?int, message: string)
error ApplyFailed (step: ?Step, message: string, errno: ?int, rolled_back: bool)
error NoPendingConfirm ()
error Busy ()
`;
