package com.doordash.pedregal.gateway.internal;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.GatewayConfig;
import com.doordash.pedregal.gateway.SandboxConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operating-system wall around the Spark JVMs this machine runs for users (not an API: for the gateway only). When
 * the server runs as root, every driver, warm driver and platform tool runs as a run user of its own ({@code dcp-run-N},
 * chosen so that no two live runs share one) and the test cluster as {@code dcp-reader}, with no capabilities and no
 * way to gain privileges ({@code setpriv --no-new-privs}). Then:
 * <ul>
 *   <li>a run's folder {@code <runs>/<id>} is the server's ({@code 0711}); the run owns only its {@code work} folder
 *       (working directory, temporary files, the job's input files) and its events file, and sees no other run's
 *       folder, log or input;</li>
 *   <li>the data directory's secret parts — the job store, the tokens file — are the server's alone, and no run can
 *       signal or trace the server or another run;</li>
 *   <li>the warehouse belongs to group {@code dcp-jobs}: runs read and write its tables (the driver's wall decides
 *       which); the test cluster, not in that group, can only read them;</li>
 *   <li>when a run ends its processes are killed (also those that left its process group), its {@code work} folder is
 *       deleted and its files return to the server, so the next run of the same user finds nothing of it.</li>
 * </ul>
 * When the server does not run as root, or {@code gateway.sandbox.mode=off}, JVMs run as the server's user and the same
 * calls only lay out the folders.
 */
public final class Sandbox {
    private static final Logger log = LoggerFactory.getLogger(Sandbox.class);
    /** The folder of a run that the run itself owns: its working directory. */
    public static final String WORK_DIR = "work";
    private static final String UID_FILE = "uid";
    /** The file of a run folder that names its scratch folder. */
    private static final String SCRATCH_FILE = "scratch";
    /** Where scratch folders live, under the runs folder: a path that stays when a warm driver's folder is renamed. */
    private static final String SCRATCH_DIR = ".scratch";
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    /** One lock file per user: a user is held by at most one server (or sandbox) on this machine at a time. */
    private static final Path LOCK_DIR = Path.of("/run/dcp-sandbox");
    private static final Object USERS_LOCK = new Object();
    private static final String RUN_GROUP = "dcp-jobs";
    private static final String READER = "dcp-reader";
    private static final String RUN_USER_PREFIX = "dcp-run-";
    /** Users prepared in this JVM, by first uid: creating them is done once. */
    private static final Set<Integer> PREPARED_USERS = ConcurrentHashMap.newKeySet();
    private static final Set<Path> PREPARED_DIRS = ConcurrentHashMap.newKeySet();

    /** An operating-system user a JVM runs as; {@link #SERVER} when the sandbox is off. */
    public record RunUser(String name, int uid, int gid) {
        /** The server's own user: nothing changes. */
        public static final RunUser SERVER = new RunUser("", -1, -1);

        public boolean isServer() {
            return uid < 0;
        }
    }

    private final GatewayConfig gateway;
    private final SandboxConfig config;
    private final boolean enabled;
    /** The run users this sandbox holds, each by a lock that other servers on this machine see. */
    private final Map<Integer, FileChannel> held = new ConcurrentHashMap<>();
    private int cursor;

    private Sandbox(GatewayConfig gateway, boolean enabled) {
        this.gateway = gateway;
        this.config = gateway.sandbox();
        this.enabled = enabled;
    }

    /**
     * The sandbox {@code gateway.sandbox.*} asks for on this machine.
     *
     * @throws IllegalStateException for {@code uids} when the server is not root or {@code setpriv} is missing
     */
    public static Sandbox of(GatewayConfig gateway) {
        requireNonNull(gateway, "gateway is null");
        boolean root = isRoot();
        boolean canSwitch = root && Files.isExecutable(SETPRIV);
        return switch (gateway.sandbox().mode()) {
            case OFF -> new Sandbox(gateway, false);
            case AUTO -> new Sandbox(gateway, canSwitch);
            case UIDS -> {
                if (!canSwitch) {
                    throw new IllegalStateException("gateway.sandbox.mode=uids: Spark JVMs run as other users only when"
                            + " the server runs as root with " + SETPRIV + " (it runs as uid " + currentUid() + ")");
                }
                yield new Sandbox(gateway, true);
            }
        };
    }

    /** Whether JVMs run as users of their own. */
    public boolean enabled() {
        return enabled;
    }

    /** What holds on this machine, for the start-up log. */
    public String describe() {
        return enabled
                ? "Spark JVMs run as unprivileged users " + RUN_USER_PREFIX + "1.." + config.users() + " (group " + RUN_GROUP
                        + ") and " + READER + " (the test cluster)"
                : "Spark JVMs run as the server's own user (uid " + currentUid() + "): the platform's files are not"
                        + " protected from job code by the operating system (" + (isRoot() ? "gateway.sandbox.mode=off"
                        : "run the server as root for the sandbox") + ")";
    }

    /**
     * Creates the users and groups when missing, makes the runs folder the server's and the warehouse the run group's,
     * and checks that run users can reach the runtimes, the JDK and the warehouse. Idempotent; runs once per JVM.
     *
     * @throws IllegalStateException naming the folder a run user could not reach, or a user that exists otherwise
     */
    public void prepare() {
        try {
            Files.createDirectories(gateway.runsDir());
            Files.createDirectories(gateway.warehouseDir());
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot create " + gateway.runsDir() + " or " + gateway.warehouseDir(), e);
        }
        if (!enabled) {
            return;
        }
        synchronized (PREPARED_USERS) {
            if (PREPARED_USERS.add(config.firstUid())) {
                try {
                    ensureUsers();
                }
                catch (RuntimeException e) {
                    PREPARED_USERS.remove(config.firstUid());
                    throw e;
                }
            }
        }
        if (PREPARED_DIRS.add(gateway.runsDir().resolve(gateway.warehouseDir().toString()))) {
            setMode(gateway.runsDir(), "rwx--x--x");
            shareWarehouse();
            for (Path path : List.of(gateway.runsDir(), gateway.warehouseDir(), gateway.runtimesDir(), gateway.javaHome())) {
                requireReachable(path);
            }
        }
    }

    /**
     * Keeps the users of runs under {@code runsDir} that ended unseen (the server was down) from being handed out
     * before those runs are sealed: sealing kills what their user runs. Runs {@code ended} says are over are sealed
     * at once.
     */
    public void reserveUnsealed(Path runsDir, java.util.function.Predicate<Path> ended) {
        if (!enabled || !Files.isDirectory(runsDir)) {
            return;
        }
        try (Stream<Path> runs = Files.list(runsDir)) {
            for (Path run : runs.toList()) {
                Optional<Integer> user = recordedUid(run)
                        .filter(uid -> uid > config.firstUid() && uid <= config.firstUid() + config.users());
                if (user.isEmpty()) {
                    continue;
                }
                tryHold(user.get());
                if (ended.test(run)) {
                    // Its driver is gone (a warm driver that served several jobs ends after its first run was read):
                    // seal it now, held, so that whatever its user still runs is killed first.
                    seal(run);
                }
            }
        }
        catch (IOException | UncheckedIOException e) {
            log.warn("Cannot list the runs in {}: {}", runsDir, e.toString());
        }
    }

    /** Reserves a run user no live process uses; the server's user when the sandbox is off. */
    public synchronized RunUser acquire() {
        if (!enabled) {
            return RunUser.SERVER;
        }
        Set<Integer> busy = liveUids();
        for (int i = 0; i < config.users(); i++) {
            int index = (cursor + i) % config.users();
            int uid = config.firstUid() + 1 + index;
            if (!busy.contains(uid) && !held.containsKey(uid) && tryHold(uid)) {
                cursor = index + 1;
                return new RunUser(RUN_USER_PREFIX + (index + 1), uid, runGid());
            }
        }
        throw new IllegalStateException("every one of the " + config.users() + " run users is busy"
                + " (gateway.sandbox.users); the driver cannot start now");
    }

    /** The test cluster's user; the server's when the sandbox is off. */
    public RunUser reader() {
        return enabled ? new RunUser(READER, config.firstUid(), config.firstUid()) : RunUser.SERVER;
    }

    /**
     * The folders of a run's JVM: {@code work}, its working directory inside the run folder, and {@code scratch}, for its
     * temporary files, Spark's shuffle and block files and its home, at a path that stays the same when a warm driver's
     * folder is renamed to its job's.
     */
    public record RunDirs(Path work, Path scratch) {
    }

    /**
     * Lays out {@code runDir} for a JVM of {@code user}: the folder (the server's, {@code 0711}) with its {@code work}
     * folder and a scratch folder (the user's, {@code 0700}), and files naming the user and the scratch folder.
     */
    public RunDirs prepareRunDir(Path runDir, RunUser user) {
        try {
            Files.createDirectories(runDir);
            Path work = runDir.resolve(WORK_DIR);
            Files.createDirectories(work);
            Path scratchRoot = gateway.runsDir().resolve(SCRATCH_DIR);
            Files.createDirectories(scratchRoot);
            setMode(scratchRoot, "rwx--x--x");
            Path scratch = scratchRoot.resolve(runDir.getFileName() + "-" + Long.toHexString(System.nanoTime()));
            Files.createDirectory(scratch);
            writeUserFile(runDir.resolve(SCRATCH_FILE), scratch.toString(), RunUser.SERVER);
            if (!user.isServer()) {
                setMode(runDir, "rwx--x--x");
                for (Path owned : List.of(work, scratch)) {
                    setMode(owned, "rwx------");
                    chown(owned, user);
                }
                writeUserFile(runDir.resolve(UID_FILE), Integer.toString(user.uid()), RunUser.SERVER);
            }
            return new RunDirs(work, scratch);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot lay out " + runDir, e);
        }
    }

    /**
     * Writes {@code content} to {@code file} for {@code user} to read and write alone (the server's own file for {@link
     * RunUser#SERVER}): created new (never through a link a run could have placed), then renamed over an old one.
     */
    public void writeUserFile(Path file, String content, RunUser user) {
        try {
            Path temp = file.resolveSibling("." + file.getFileName() + ".dcp-" + System.nanoTime());
            Files.writeString(temp, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            if (!user.isServer()) {
                setMode(temp, "rw-------");
                chown(temp, user);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Creates the empty file {@code file} (if missing) for {@code user} to append to alone. */
    public void createUserFile(Path file, RunUser user) {
        try {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                Files.createFile(file);
            }
            if (!user.isServer()) {
                setMode(file, "rw-------");
                chown(file, user);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        }
    }

    /**
     * The command that runs {@code command} as {@code user}: without capabilities, supplementary groups or a way to
     * gain privileges.
     */
    public List<String> command(RunUser user, List<String> command) {
        if (user.isServer()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of(SETPRIV.toString(), "--reuid=" + user.uid(), "--regid=" + user.gid(),
                "--clear-groups", "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** The environment of a JVM of {@code user}: its home and temporary files stay in its {@code scratch} folder. */
    public void environment(Map<String, String> env, RunUser user, Path scratch) {
        env.put("HOME", scratch.toString());
        env.put("TMPDIR", scratch.toString());
        if (!user.isServer()) {
            env.put("USER", user.name());
            env.put("LOGNAME", user.name());
        }
    }

    /** JVM options that keep a JVM's files in its {@code scratch} folder. */
    public List<String> jvmOptions(Path scratch) {
        return List.of("-Duser.home=" + scratch, "-Djava.io.tmpdir=" + scratch, "-XX:-UsePerfData");
    }

    /**
     * Ends a run's hold on the machine once it has ended: kills every process its user still runs, deletes its {@code
     * work} folder, gives its files back to the server and frees its user. Idempotent; nothing for a run without a user.
     */
    public void seal(Path runDir) {
        deleteScratch(runDir);
        Optional<Integer> uid = recordedUid(runDir);
        if (uid.isEmpty()) {
            return;
        }
        if (held.containsKey(uid.get())) {
            killAll(uid.get()); // only while this server holds the user: it may run another server's job by now
        }
        deleteTree(runDir.resolve(WORK_DIR));
        try (Stream<Path> files = Files.list(runDir)) {
            for (Path file : files.toList()) {
                if (!Files.isSymbolicLink(file)) {
                    chown(file, new RunUser("root", 0, 0));
                }
            }
            Files.deleteIfExists(runDir.resolve(UID_FILE));
        }
        catch (IOException e) {
            log.warn("Cannot give the files of {} back to the server: {}", runDir, e.toString());
        }
        release(uid.get());
    }

    /**
     * Holds the test cluster's user for this server: true when no other server on this machine runs a test cluster as
     * it (then leftovers of a killed server may be stopped); the hold lasts until {@link #releaseReader}.
     */
    public boolean holdReader() {
        return enabled && tryHold(config.firstUid());
    }

    /**
     * Lets go of every user this sandbox holds, when its server stops: runs that go on running are held again by the next
     * server, which finds them in the runs folder ({@link #reserveUnsealed}).
     */
    public void close() {
        for (Integer uid : List.copyOf(held.keySet())) {
            release(uid);
        }
    }

    /** Lets another server run its test cluster as the reader. */
    public void releaseReader() {
        release(config.firstUid());
    }

    private boolean tryHold(int uid) {
        if (held.containsKey(uid)) {
            return true;
        }
        FileChannel channel = null;
        try {
            channel = openLockFile(uid + ".lock");
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                return false;
            }
            held.put(uid, channel);
            return true;
        }
        catch (OverlappingFileLockException e) {
            closeQuietly(channel); // another sandbox of this JVM holds it
            return false;
        }
        catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock " + LOCK_DIR.resolve(uid + ".lock"), e);
        }
    }

    private void release(int uid) {
        closeQuietly(held.remove(uid));
    }

    /** Lets go of {@code user} when its run never started; nothing for the server's user or one already let go. */
    public void release(RunUser user) {
        if (!user.isServer()) {
            release(user.uid());
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            }
            catch (IOException e) {
                // released anyway when the process ends
            }
        }
    }

    /** Deletes the run's scratch folder, which its file names (only ever a folder under the runs folder's scratch root). */
    private void deleteScratch(Path runDir) {
        Path root = gateway.runsDir().resolve(SCRATCH_DIR).toAbsolutePath().normalize();
        LogFiles.readIfExists(runDir.resolve(SCRATCH_FILE)).map(String::strip).map(Path::of)
                .map(path -> path.toAbsolutePath().normalize())
                .filter(path -> path.getParent() != null && path.getParent().equals(root))
                .ifPresent(scratch -> {
                    deleteTree(scratch);
                    try {
                        Files.deleteIfExists(runDir.resolve(SCRATCH_FILE));
                    }
                    catch (IOException e) {
                        log.warn("Cannot delete {}: {}", runDir.resolve(SCRATCH_FILE), e.toString());
                    }
                });
    }

    /** Kills every process of {@code uid} (a run user's: nothing else runs as it). */
    public static void killAll(int uid) {
        if (uid <= 0) {
            return;
        }
        for (long pid : processesOf(uid)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Deletes a folder a run owned, without following the links it may hold. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        catch (IOException e) {
            log.warn("Cannot delete {}: {}", root, e.toString());
        }
    }

    /** The user a run folder says its JVM runs as, while the run is not sealed. */
    private static Optional<Integer> recordedUid(Path runDir) {
        return LogFiles.readIfExists(runDir.resolve(UID_FILE)).map(String::strip).filter(text -> text.matches("[0-9]+"))
                .map(Integer::parseInt);
    }

    private int runGid() {
        return config.firstUid() + 1;
    }

    /**
     * Creates the reader, the run users and their groups that do not exist yet: under a lock that the servers of this
     * machine share, so that two starting at once do not both add the same user (the second {@code useradd} fails).
     */
    private void ensureUsers() {
        // The file lock keeps out other JVMs; the monitor other sandboxes of this one (a second lock() of the same
        // file in one JVM throws instead of waiting).
        synchronized (USERS_LOCK) {
            try (FileChannel channel = openLockFile("users.lock"); FileLock lock = channel.lock()) {
                ensureUsersLocked();
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot lock " + LOCK_DIR.resolve("users.lock"), e);
            }
        }
    }

    /** A lock file of the machine's sandboxes, in their private folder (made at first use); never through a link. */
    private static FileChannel openLockFile(String name) throws IOException {
        if (!Files.isDirectory(LOCK_DIR)) {
            Files.createDirectories(LOCK_DIR);
            setMode(LOCK_DIR, "rwx------");
        }
        return FileChannel.open(LOCK_DIR.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
    }

    private void ensureUsersLocked() {
        Map<String, Integer> groups = idsByName(Path.of("/etc/group"));
        Map<String, Integer> users = idsByName(Path.of("/etc/passwd"));
        ensureGroup(groups, READER, config.firstUid());
        ensureGroup(groups, RUN_GROUP, runGid());
        ensureUser(users, READER, config.firstUid(), config.firstUid());
        for (int i = 1; i <= config.users(); i++) {
            ensureUser(users, RUN_USER_PREFIX + i, config.firstUid() + i, runGid());
        }
    }

    private static void ensureGroup(Map<String, Integer> groups, String name, int gid) {
        Integer existing = groups.get(name);
        if (existing == null) {
            run("groupadd", "--system", "--gid", Integer.toString(gid), name);
        }
        else if (existing != gid) {
            throw new IllegalStateException("gateway.sandbox.first-uid: group " + name + " exists with gid " + existing
                    + ", not " + gid);
        }
    }

    private static void ensureUser(Map<String, Integer> users, String name, int uid, int gid) {
        Integer existing = users.get(name);
        if (existing == null) {
            run("useradd", "--system", "--uid", Integer.toString(uid), "--gid", Integer.toString(gid), "--no-create-home",
                    "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", name);
        }
        else if (existing != uid) {
            throw new IllegalStateException("gateway.sandbox.first-uid: user " + name + " exists with uid " + existing
                    + ", not " + uid);
        }
    }

    private static Map<String, Integer> idsByName(Path file) {
        Map<String, Integer> ids = new java.util.HashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] parts = line.split(":");
                if (parts.length > 2 && parts[2].matches("[0-9]+")) {
                    ids.put(parts[0], Integer.parseInt(parts[2]));
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return ids;
    }

    /**
     * The warehouse: the run group's, writable by it, readable by everyone. Run users all have it as their primary
     * group, so what they create is the group's too.
     */
    private void shareWarehouse() {
        Path warehouse = gateway.warehouseDir();
        try {
            GroupPrincipal group = warehouse.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(RUN_GROUP);
            Files.walkFileTree(warehouse, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                    share(dir, group, "rwxrwxr-x");
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    if (attributes.isRegularFile()) {
                        share(file, group, "rw-rw-r--");
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot share the warehouse " + warehouse + " with group " + RUN_GROUP, e);
        }
    }

    private static void share(Path path, GroupPrincipal group, String mode) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        PosixFileAttributes attributes = view.readAttributes();
        if (!attributes.group().equals(group)) {
            view.setGroup(group);
        }
        Set<PosixFilePermission> wanted = PosixFilePermissions.fromString(mode);
        if (!attributes.permissions().containsAll(wanted)) {
            Set<PosixFilePermission> permissions = new HashSet<>(attributes.permissions());
            permissions.addAll(wanted);
            view.setPermissions(permissions);
        }
    }

    /** Fails when a run user (not the owner, not in the group) could not walk down to {@code path}. */
    private static void requireReachable(Path path) {
        Path current = path.toAbsolutePath().normalize();
        List<Path> chain = new ArrayList<>();
        for (Path p = current; p != null; p = p.getParent()) {
            chain.add(0, p);
        }
        for (Path folder : chain) {
            try {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(folder);
                if (Files.isDirectory(folder) && !permissions.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    throw new IllegalStateException("gateway.sandbox: Spark JVMs run as unprivileged users, who cannot"
                            + " reach " + path + ": " + folder + " is not searchable by other users (mode "
                            + PosixFilePermissions.toString(permissions) + "); allow it (chmod o+x " + folder
                            + "), choose other folders, or set gateway.sandbox.mode=off");
                }
            }
            catch (NoSuchFileException e) {
                return;
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot read the permissions of " + folder, e);
            }
        }
    }

    private static void setMode(Path path, String mode) {
        try {
            Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setPermissions(PosixFilePermissions.fromString(mode));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot set the mode of " + path, e);
        }
    }

    private static void chown(Path path, RunUser user) throws IOException {
        // lchown: a link is changed itself, never what it points to.
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        var lookup = path.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal owner = lookup.lookupPrincipalByName(Integer.toString(user.uid()));
        GroupPrincipal group = lookup.lookupPrincipalByGroupName(Integer.toString(user.gid()));
        view.setOwner(owner);
        view.setGroup(group);
    }

    /** The real user ids of the live processes. */
    private static Set<Integer> liveUids() {
        Set<Integer> uids = new HashSet<>();
        forEachProcess((pid, uid) -> uids.add(uid));
        return uids;
    }

    /**
     * The live processes of {@code uid} in this server's PID namespace. A process of the same uid in another one runs in
     * a container: another platform's on this machine (its sandbox hands out the same uids: a CI run saw this server
     * kill the driver of a server image's container), or a container the engine stops for this one. Where a process's
     * namespace cannot be read (no ptrace capability, as in a container), it counts as this server's.
     */
    private static List<Long> processesOf(int uid) {
        Optional<String> own = pidNamespace("self");
        List<Long> pids = new ArrayList<>();
        forEachProcess((pid, owner) -> {
            if (owner == uid && (own.isEmpty() || pidNamespace(Long.toString(pid)).map(own.get()::equals).orElse(true))) {
                pids.add(pid);
            }
        });
        return pids;
    }

    /** The PID namespace of process {@code pid} ({@code self} for this one), where it can be read. */
    static Optional<String> pidNamespace(String pid) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", pid, "ns", "pid")).toString());
        }
        catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    private interface ProcessVisitor {
        void visit(long pid, int uid);
    }

    private static void forEachProcess(ProcessVisitor visitor) {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!name.matches("[0-9]+")) {
                    continue;
                }
                try {
                    for (String line : Files.readAllLines(entry.resolve("status"), StandardCharsets.UTF_8)) {
                        if (line.startsWith("Uid:")) {
                            visitor.visit(Long.parseLong(name), Integer.parseInt(line.substring(4).strip().split("\\s+")[0]));
                            break;
                        }
                    }
                }
                catch (IOException | RuntimeException e) {
                    // the process ended meanwhile
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list the processes in /proc", e);
        }
    }

    private static boolean isRoot() {
        return currentUid() == 0;
    }

    private static long currentUid() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return ((Number) uid).longValue();
        }
        catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }

    private static void run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("gateway.sandbox: " + String.join(" ", command) + " failed: " + output);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("gateway.sandbox: cannot run " + command[0], e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command[0], e);
        }
    }
}
