package embedded

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// PostgresBinDir returns the directory holding initdb and postgres (PATH first, then Debian's
// /usr/lib/postgresql/<newest>/bin), or "" when PostgreSQL is not installed.
func PostgresBinDir() string {
	if p, err := exec.LookPath("initdb"); err == nil {
		d := filepath.Dir(p)
		if findBinary("postgres", d) != "" {
			return d
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	// Newest major version first: "15" sorts after "9" only numerically.
	slices.SortFunc(dirs, func(a, b string) int {
		va, _ := strconv.Atoi(filepath.Base(filepath.Dir(a)))
		vb, _ := strconv.Atoi(filepath.Base(filepath.Dir(b)))
		return vb - va
	})
	for _, d := range dirs {
		if findBinary("initdb", d) != "" && findBinary("postgres", d) != "" {
			return d
		}
	}
	return ""
}

// postgres is a private PostgreSQL cluster: a postmaster child process on a loopback TCP port.
type postgres struct {
	dir string // owned by the server's user; holds data/ and postgres.log
	url string // for FerretDB: postgres://postgres@127.0.0.1:port/postgres
	p   *proc
	log *slog.Logger
}

// runAs says which user the server runs as: PostgreSQL refuses to run as root, so as root we run it
// as the postgres user (set directly on the child rather than through runuser, so no PAM session or
// extra process sits between us and the postmaster).
type runAs struct {
	cred *syscall.Credential // nil: as ourselves
	uid  int
	gid  int
}

func serverUser() (runAs, error) {
	if os.Geteuid() != 0 {
		return runAs{uid: os.Geteuid(), gid: os.Getegid()}, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return runAs{}, fmt.Errorf("running as root needs the postgres user to run PostgreSQL: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return runAs{cred: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}, uid: uid, gid: gid}, nil
}

func (r runAs) command(dir, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=/usr/bin:/bin", "LC_ALL=C", "HOME=" + dir}
	if r.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: r.cred}
	}
	return cmd
}

// startPostgres creates (first time) and starts a cluster under dir and waits until it accepts
// connections.
func startPostgres(ctx context.Context, bin, dir string, noSync bool, log *slog.Logger) (*postgres, error) {
	as, err := serverUser()
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if as.cred != nil {
		if err := os.Chown(dir, as.uid, as.gid); err != nil {
			return nil, fmt.Errorf("postgres: %w", err)
		}
		if err := letTraverse(dir, as, log); err != nil {
			return nil, fmt.Errorf("postgres: %w", err)
		}
	}
	data := filepath.Join(dir, "data")
	if _, err := os.Stat(filepath.Join(data, "PG_VERSION")); err != nil {
		if err := initCluster(ctx, bin, data, as, log); err != nil {
			return nil, fmt.Errorf("postgres: %w", err)
		}
	}
	if err := removeStalePID(data); err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	var lastErr error
	for range 3 { // the free port can be taken before the postmaster binds it
		pg, err := runPostgres(ctx, bin, dir, data, noSync, as, log)
		if err == nil {
			return pg, nil
		}
		lastErr = err
		if ctx.Err() != nil {
			break
		}
	}
	return nil, lastErr
}

func runPostgres(ctx context.Context, bin, dir, data string, noSync bool, as runAs, log *slog.Logger) (*postgres, error) {
	t0 := time.Now()
	port, err := freePort("127.0.0.1")
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(dir, "postgres.log")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	defer logFile.Close() // the child keeps its own copy of the descriptor
	args := []string{"-D", data, "-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories=", // TCP only: socket paths under a deep data dir exceed 107 bytes
		"-c", "max_connections=100",
		"-c", "shared_buffers=64MB",
	}
	if noSync {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	cmd := as.command(dir, filepath.Join(bin, "postgres"), args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	p, err := startProc(cmd)
	if err != nil {
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	pidFile := filepath.Join(data, "postmaster.pid")
	err = waitFor(wctx, p, 5*time.Millisecond, func(context.Context) error { return postmasterReady(pidFile, p.cmd.Process.Pid) })
	if err != nil {
		p.stop(syscall.SIGKILL, 0)
		return nil, fmt.Errorf("start postgres on port %d: %w\n%s", port, err, tailFile(logPath, 2048))
	}
	pg := &postgres{
		dir: dir,
		url: fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres", port),
		p:   p,
		log: log,
	}
	log.Info("postgres started", "port", port, "pid", p.cmd.Process.Pid, "no_sync", noSync, "took", time.Since(t0).Round(time.Millisecond))
	return pg, nil
}

// postmasterReady reads postmaster.pid: line 1 is the postmaster's pid and line 8 its status, which
// says "ready" once it accepts connections (PostgreSQL 10+). Reading the file avoids a client library.
func postmasterReady(pidFile string, pid int) error {
	b, err := os.ReadFile(pidFile)
	if err != nil {
		return err
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) < 8 || strings.TrimSpace(lines[0]) != strconv.Itoa(pid) {
		return errors.New("postmaster.pid not written yet")
	}
	if st := strings.TrimSpace(lines[7]); st != "ready" {
		return fmt.Errorf("postmaster status %q", st)
	}
	return nil
}

// removeStalePID deletes a postmaster.pid left by a killed server, so our readiness check cannot read
// its old "ready" line; a live postmaster on the same data is an error.
func removeStalePID(data string) error {
	pidFile := filepath.Join(data, "postmaster.pid")
	b, err := os.ReadFile(pidFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	if pid, err := strconv.Atoi(strings.TrimSpace(line)); err == nil && pid > 0 && syscall.Kill(pid, 0) == nil {
		if comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid)); strings.HasPrefix(string(comm), "postgres") {
			return fmt.Errorf("a postgres (pid %d) already runs on %s", pid, data)
		}
	}
	return os.Remove(pidFile)
}

// initCluster fills data with a new cluster. initdb takes about 1.5 s here, so the first run keeps a
// pristine copy in the temp dir (per user and binary directory) and later clusters are copied from it
// in about 0.2 s.
func initCluster(ctx context.Context, bin, data string, as runAs, log *slog.Logger) error {
	t0 := time.Now()
	if err := os.RemoveAll(data); err != nil { // a half-made cluster from an interrupted start
		return err
	}
	// Keyed by the real binary directory, so a /usr/local/bin link moved to another major version
	// does not reuse an incompatible template.
	real, err := filepath.EvalSymlinks(filepath.Join(bin, "postgres"))
	if err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(filepath.Dir(real)))
	tmpl := filepath.Join(os.TempDir(), fmt.Sprintf("crypto-oms-pginit-%d-%s", as.uid, hex.EncodeToString(sum[:6])))
	if _, err := os.Stat(filepath.Join(tmpl, "PG_VERSION")); err != nil {
		if err := makeTemplate(ctx, bin, tmpl, as); err != nil {
			return err
		}
	}
	// cp -a keeps the owner (the server's user) and the 0700 mode PostgreSQL insists on.
	if out, err := exec.CommandContext(ctx, "cp", "-a", tmpl, data).CombinedOutput(); err != nil {
		return fmt.Errorf("copy cluster template: %w: %s", err, out)
	}
	log.Info("postgres cluster created", "data", data, "took", time.Since(t0).Round(time.Millisecond))
	return nil
}

// makeTemplate runs initdb into a fresh directory beside tmpl and renames it into place, so concurrent
// test processes never see a half-written template.
func makeTemplate(ctx context.Context, bin, tmpl string, as runAs) error {
	parent, err := os.MkdirTemp(filepath.Dir(tmpl), filepath.Base(tmpl)+".tmp")
	if err != nil {
		return err
	}
	defer os.RemoveAll(parent)
	if err := os.Chown(parent, as.uid, as.gid); err != nil {
		return err
	}
	out := filepath.Join(parent, "data")
	cmd := as.command(parent, filepath.Join(bin, "initdb"), "-D", out, "-U", "postgres", "-A", "trust",
		"-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("initdb: %w: %s", err, b)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := os.Rename(out, tmpl); err != nil {
		// Another process made it first: theirs is as good as ours.
		if _, serr := os.Stat(filepath.Join(tmpl, "PG_VERSION")); serr == nil {
			return nil
		}
		return fmt.Errorf("install cluster template: %w", err)
	}
	return nil
}

// letTraverse makes sure the server's user can reach dir: t.TempDir() and most data dirs sit under
// root-owned 0700 directories. Only the search (x) bit for others is added, never read or write.
func letTraverse(dir string, as runAs, log *slog.Logger) error {
	for d := filepath.Dir(dir); ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return err
		}
		mode := fi.Mode().Perm()
		st, _ := fi.Sys().(*syscall.Stat_t)
		ok := mode&0o001 != 0 ||
			(st != nil && int(st.Uid) == as.uid && mode&0o100 != 0) ||
			(st != nil && int(st.Gid) == as.gid && mode&0o010 != 0)
		if !ok {
			if err := os.Chmod(d, fi.Mode()|0o001); err != nil {
				return fmt.Errorf("let the postgres user reach %s: %w", dir, err)
			}
			log.Info("added o+x so the postgres user can reach the data dir", "dir", d)
		}
		if d == "/" || d == filepath.Dir(d) {
			return nil
		}
	}
}

// stop performs a fast shutdown (SIGINT: roll back open transactions, checkpoint, exit) and kills the
// process group if that takes longer than 10 s.
func (pg *postgres) stop() {
	pg.p.stop(syscall.SIGINT, 10*time.Second)
	pg.log.Info("postgres stopped", "dir", pg.dir)
}
