using System.Security.Cryptography;
using Ferry.Tests.Support;
using Xunit;

namespace Ferry.Tests.Programs;

/// <summary>Real dynamic programs from Debian (coreutils, grep, sed, awk, tar, gzip, xz, find, diff,
/// python3, lua, sqlite3, perl, busybox, git, an HTTP server with curl and wget as clients), run natively and under Ferry, each in its own copy of a small
/// fixed tree: stdout, stderr, status and the files they write must be identical. Programs that start
/// other processes (pipelines, python's subprocess, tar -z) wait for fork and exec.</summary>
public sealed class DebianProgramTests
{
    /// <summary>One command of a case, run in the case's directory.</summary>
    public sealed record Step(string Program, string[] Args, string? Stdin = null);

    private sealed record Case(Step[] Steps, string[] Outputs);

    private static Step S(string program, params string[] args) => new(program, args);

    private const string Python = """
        import json, re, hashlib, sqlite3, zlib, struct, decimal, os
        d = {"b": [1, 2.5, None, True], "a": "\u00fc"}
        print(json.dumps(d, sort_keys=True), json.loads('{"x": [1, 2]}'))
        print(re.findall(r"(\w)(\d+)", "a1 b22 c333"), re.sub(r"\s+", "-", "x  y\tz"))
        print(hashlib.sha256(b"ferry").hexdigest(), hashlib.md5(b"ferry").hexdigest(), hashlib.sha1(open("tree/a.txt", "rb").read()).hexdigest())
        db = sqlite3.connect("py.db")
        db.execute("create table t(k integer primary key, v text)")
        db.executemany("insert into t(v) values (?)", [(str(i * i),) for i in range(100)])
        db.commit()
        print(db.execute("select count(*), sum(length(v)), max(v) from t").fetchone())
        z = zlib.compress(b"abc" * 1000, 9)
        print(len(z), zlib.crc32(z), zlib.decompress(z)[:6])
        print(struct.pack("<IhQd", 1, -2, 3, 1.5).hex(), struct.unpack(">HI", b"\x01\x02\x03\x04\x05\x06"))
        decimal.getcontext().prec = 40
        print(decimal.Decimal(1) / decimal.Decimal(7), decimal.Decimal("1.1") + decimal.Decimal("2.2"))
        print(sum(i * i for i in range(20000)), 2 ** 200 % 1000007, float.hex(0.1), sorted(os.listdir("tree")))
        """;

    private const string PythonProc = """
        import os, sys
        print(open("/proc/self/cmdline", "rb").read().split(b"\0")[1:])
        print(os.readlink("/proc/self/exe"), sys.executable, sys.argv)
        print([n for n in sorted(os.listdir("/proc/self/fd"), key=int) if int(n) < 10])
        status = dict(l.split(":\t", 1) for l in open("/proc/self/status").read().splitlines() if ":\t" in l)
        print(status["Name"], status["Pid"] == str(os.getpid()), status["PPid"] == str(os.getppid()))
        maps = open("/proc/self/maps").read()
        print("libpython" in maps or "python3" in maps, "[heap]" in maps, "[stack]" in maps, "dotnet" in maps)
        print(os.environ.get("FERRY_TEST"), len(open("/proc/self/environ", "rb").read().split(b"\0")) - 1 == len(os.environ))
        """;

    // threading, subprocess and multiprocessing; a file rather than -c, since multiprocessing's spawn and
    // forkserver children import the main module again.
    private static readonly string PythonProcs = Path.Combine(Repo.GuestSources, "python", "procs.py");

    private const string Sql = """
        create table emp(id integer primary key, name text, dept text, salary real);
        insert into emp(name, dept, salary) values ('ada','eng',120.5),('bob','ops',80),('cy','eng',99.25),('di','ops',101),('ed','hr',70);
        create index emp_dept on emp(dept);
        select dept, count(*), round(avg(salary), 3), max(name) from emp group by dept order by dept;
        with recursive n(x) as (select 1 union all select x + 1 from n where x < 50) select sum(x * x), group_concat(x % 7, '') from n;
        update emp set salary = salary * 1.1 where dept = 'ops';
        select name, printf('%.2f', salary) from emp order by salary desc limit 3;
        select hex(zeroblob(2)), length(zeroblob(100)), upper('straße'), substr('ferry', 2, 3), julianday('2000-01-01');
        pragma integrity_check;
        """;

    // Fixed names and dates make the commit hashes the same in both runs; gc repacks and fsck reads it all.
    private const string Git = """
        set -e
        export GIT_AUTHOR_NAME=Ada GIT_AUTHOR_EMAIL=ada@example.org GIT_COMMITTER_NAME=Cy GIT_COMMITTER_EMAIL=cy@example.org
        export GIT_AUTHOR_DATE=2020-01-01T00:00:00Z GIT_COMMITTER_DATE=2020-01-02T00:00:00Z HOME="$PWD" GIT_CONFIG_NOSYSTEM=1 GIT_PAGER=cat
        git init -q -b main repo && cd repo
        cp ../tree/a.txt ../data.txt . && git add a.txt data.txt && git commit -q -m first
        git checkout -q -b feature && echo third >> a.txt && echo new > b.txt && git add -A && git commit -q -m feature-work
        git checkout -q main && sed -i s/apple/APPLE/ data.txt && git commit -q -am main-work
        git merge -q --no-edit feature
        git log --oneline --graph --all --decorate
        git diff HEAD~1 --stat && git diff HEAD~2 HEAD -- data.txt
        echo dirty >> a.txt && git status --short --branch && git stash -q && git status --porcelain
        git branch -v && git tag -a v1 -m release && git describe
        git gc -q && git count-objects -v | grep -v size && git fsck --no-progress --strict
        git cat-file -p HEAD && git rev-parse HEAD HEAD^{tree}
        """;

    // A server and clients on loopback, the server in a thread of the same python (port picked by the
    // kernel, never printed); curl and wget run as subprocesses. Headers that carry the time or the
    // software versions are left out.
    private const string Http = """
        import functools, http.server, os, subprocess, threading, urllib.error, urllib.request
        http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(http.server.SimpleHTTPRequestHandler, directory="tree"))
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{srv.server_address[1]}"
        r = urllib.request.urlopen(base + "/a.txt")
        print(r.status, r.headers["Content-Type"], r.headers["Content-Length"], r.read())
        try: urllib.request.urlopen(base + "/missing")
        except urllib.error.HTTPError as e: print("missing:", e.code, e.reason)
        print("listing:", [l for l in urllib.request.urlopen(base + "/sub/").read().decode().splitlines() if "href" in l])
        for tool in (["curl", "-s", "-S", "-D", "-"], ["wget", "-q", "-O", "-"]):
            out = subprocess.run(tool + [base + "/sub/b.bin"], capture_output=True)
            keep = [l for l in out.stdout.split(b"\r\n") if not l.startswith((b"Date:", b"Server:", b"Last-Modified:"))]
            print(tool[0], out.returncode, keep, out.stderr)
        srv.shutdown()
        """;

    private const string Lua = """
        local t = {}
        for i = 1, 200 do t[#t + 1] = (i * 7919) % 1000 end
        table.sort(t)
        local s = 0
        for _, v in ipairs(t) do s = s + v end
        print(s, t[1], t[#t], #t, string.format("%5.2f|%x|%q", math.pi, 255, "a\nb"))
        print(("hello world"):gsub("o", "0"), ("%d items"):format(3), string.rep("ab", 3, ","))
        local co = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i * i) end end)
        print(co(), co(), co(), math.maxinteger, 7 // 2, 7.0 // 2, 2^53, utf8.char(228, 8364))
        local f = io.open("tree/a.txt"); print(f:read("l")); f:close()
        """;

    private const string Perl = """
        my %h = map { $_ => length } qw(alpha be gamma delta);
        print join(",", map { "$_=$h{$_}" } sort keys %h), "\n";
        my $s = "The quick brown fox"; (my $t = $s) =~ s/(\w+)/\u\L$1/g; print "$t\n";
        printf("%.5f %e %s\n", atan2(1, 1) * 4, 12345.678, join("", reverse split //, "ferry"));
        open(my $f, "<", "tree/a.txt") or die; my @l = <$f>; print scalar(@l), " lines; ", uc $l[0];
        print join(" ", grep { $_ % 3 == 0 } 1..30), "\n", sprintf("%vd", "1.22.333"), "\n";
        """;

    private const string AwkSimple = """
        { n[$1] += $2; total += $2; if (length($0) > longest) longest = length($0) }
        END { printf "total=%d longest=%d fields=%d %s %s\n", total, longest, NF, toupper("x") substr("hello", 2, 3), sprintf("%05.1f", 3.14159) }
        """;

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["ls"] = new(new[] { S("/usr/bin/ls", "-la", "--time-style=+%s", "tree", "tree/sub"), S("/usr/bin/ls", "-1RS", "tree"), S("/usr/bin/ls", "-l", "missing"),
            S("/usr/bin/ls", "-lL", "--time-style=+x", "/proc/self/exe"), S("/usr/bin/ls", "-l", "--time-style=+x", "/proc/self/exe") }, []),
        ["sort"] = new(new[] { S("/usr/bin/sort", "data.txt"), S("/usr/bin/sort", "-k2,2n", "-k1,1r", "data.txt"), S("/usr/bin/sort", "-u", "-t", " ", "-k1,1", "data.txt") }, []),
        ["checksums"] = new(new[] { S("/usr/bin/sha256sum", "tree/a.txt", "tree/sub/b.bin", "data.txt"), S("/usr/bin/md5sum", "tree/a.txt", "data.txt"), S("/usr/bin/sha256sum", "-c", "sums.txt") }, []),
        ["wc-cut-tr"] = new(new[] { S("/usr/bin/wc", "tree/a.txt", "data.txt"), S("/usr/bin/cut", "-d", " ", "-f2,1", "data.txt"), S("/usr/bin/cut", "-c2-4", "tree/a.txt"),
            new("/usr/bin/tr", new[] { "a-z", "A-Z" }, "hello, ferry\n"), new("/usr/bin/tr", new[] { "-s", "-d", "lr" }, "hello, ferry\n") }, []),
        ["date-stat"] = new(new[] { S("/usr/bin/date", "-u", "-d", "@1234567890", "+%Y-%m-%d %H:%M:%S %A %j %s"), S("/usr/bin/date", "-u", "-d", "2024-02-29 13:00 +0200", "-R"),
            S("/usr/bin/stat", "-c", "%n %s %a %F %Y", "tree/a.txt", "tree/sub", "data.txt") }, []),
        ["head-tail-seq"] = new(new[] { S("/usr/bin/head", "-n", "3", "data.txt"), S("/usr/bin/tail", "-n", "2", "data.txt"), S("/usr/bin/tail", "-c", "9", "tree/a.txt"),
            S("/usr/bin/seq", "1", "3", "20"), S("/usr/bin/seq", "-w", "-s", ",", "8", "12"), S("/usr/bin/seq", "0.5", "0.25", "1.5") }, []),
        ["printf-names"] = new(new[] { S("/usr/bin/printf", "%s-%05d-%x-%.3f|%q\\n", "a", "42", "255", "2.5", "it's"), S("/usr/bin/basename", "/a/b/c.txt", ".txt"),
            S("/usr/bin/dirname", "/a/b/c", "d"), S("/usr/bin/printf", "%d\\n", "notanumber"), S("/usr/bin/env") }, []),
        ["uniq-od"] = new(new[] { S("/usr/bin/uniq", "-c", "sorted.txt"), S("/usr/bin/uniq", "-d", "sorted.txt"), S("/usr/bin/od", "-A", "x", "-t", "x1z", "tree/sub/b.bin"), S("/usr/bin/od", "-c", "tree/a.txt") }, []),
        ["grep"] = new(new[] { S("/usr/bin/grep", "-n", "-i", "-E", "ap+le|cherry", "data.txt"), S("/usr/bin/grep", "-c", "an", "data.txt"), S("/usr/bin/grep", "-r", "-l", "line", "tree"),
            S("/usr/bin/grep", "-o", "-P", "\\d+", "data.txt"), S("/usr/bin/grep", "nomatch", "data.txt") }, []),
        ["sed"] = new(new[] { S("/usr/bin/sed", "-e", "s/a/A/g", "-e", "2d", "data.txt"), S("/usr/bin/sed", "-n", "1~2p;$=", "data.txt"), S("/usr/bin/sed", "-E", "s/([a-z]+) ([0-9]+)/\\2:\\1/", "data.txt"),
            S("/usr/bin/sed", "-i.bak", "s/line/LINE/", "tree/a.txt") }, new[] { "tree/a.txt", "tree/a.txt.bak" }),
        ["awk"] = new(new[] { S("/usr/bin/gawk", AwkSimple, "data.txt"), S("/usr/bin/mawk", AwkSimple, "data.txt"),
            S("/usr/bin/gawk", "BEGIN { PROCINFO[\"sorted_in\"] = \"@ind_str_asc\" } { n[$1] += $2 } END { for (k in n) print k, n[k] }", "data.txt") }, []),
        ["tar"] = new(new[] { S("/usr/bin/tar", "--sort=name", "-cf", "out.tar", "tree"), S("/usr/bin/tar", "-tvf", "out.tar"), S("/usr/bin/mkdir", "x"),
            S("/usr/bin/tar", "-xf", "out.tar", "-C", "x"), S("/usr/bin/sha256sum", "x/tree/a.txt", "x/tree/sub/b.bin") }, new[] { "out.tar", "x/tree/a.txt", "x/tree/sub/b.bin" }),
        ["gzip"] = new(new[] { S("/usr/bin/gzip", "-9", "-k", "data.txt"), S("/usr/bin/gzip", "-l", "data.txt.gz"), S("/usr/bin/gzip", "-t", "data.txt.gz"),
            S("/usr/bin/gzip", "-d", "-c", "data.txt.gz") }, new[] { "data.txt.gz" }),
        ["xz"] = new(new[] { S("/usr/bin/xz", "-6", "-k", "data.txt"), S("/usr/bin/xz", "-l", "data.txt.xz"), S("/usr/bin/xz", "-d", "-c", "data.txt.xz"),
            S("/usr/bin/xz", "-d", "-k", "-f", "-S", ".xz", "data.txt.xz") }, new[] { "data.txt.xz", "data.txt" }),
        ["cp"] = new(new[] { S("/usr/bin/cp", "-a", "tree", "copy"), S("/usr/bin/ls", "-lR", "--time-style=+%s", "copy"),
            S("/usr/bin/cp", "-p", "--reflink=auto", "data.txt", "copy/d1"), S("/usr/bin/cp", "--reflink=always", "data.txt", "copy/d2") },
            new[] { "copy/a.txt", "copy/sub/b.bin", "copy/d1" }),
        ["find-diff"] = new(new[] { S("/usr/bin/find", "tree", "-name", "*.txt"), S("/usr/bin/find", "tree", "-type", "f", "-size", "-1k", "-printf", "%p %s %m\\n"),
            S("/usr/bin/diff", "-u", "data.txt", "sorted.txt"), S("/usr/bin/diff", "data.txt", "data.txt"), S("/usr/bin/cmp", "data.txt", "sorted.txt") }, []),
        ["python3"] = new(new[] { S("/usr/bin/python3", "-c", Python) }, new[] { "py.db" }),
        ["python3-proc"] = new(new[] { S("/usr/bin/python3", "-c", PythonProc, "one", "two words") }, []),
        ["python3-threading"] = new(new[] { S("/usr/bin/python3", PythonProcs, "threads") }, []),
        ["python3-subprocess"] = new(new[] { S("/usr/bin/python3", PythonProcs, "subprocess") }, []),
        ["python3-fork-threads"] = new(new[] { S("/usr/bin/python3", PythonProcs, "fork") }, []),
        ["python3-mp-fork"] = new(new[] { S("/usr/bin/python3", PythonProcs, "mp-fork") }, []),
        ["python3-mp-default"] = new(new[] { S("/usr/bin/python3", PythonProcs, "mp-default") }, []),
        ["lua5.4"] = new(new[] { S("/usr/bin/lua5.4", "-e", Lua) }, []),
        ["sqlite3"] = new(new[] { new Step("/usr/bin/sqlite3", new[] { "-batch", "emp.db" }, Sql), S("/usr/bin/sqlite3", "emp.db", "select count(*), sum(salary) from emp") }, []),
        ["perl"] = new(new[] { S("/usr/bin/perl", "-e", Perl) }, []),
        ["git"] = new(new[] { S("/bin/sh", "-c", Git) }, new[] { "repo/a.txt", "repo/b.txt", "repo/data.txt" }),
        ["http"] = new(new[] { S("/usr/bin/python3", "-c", Http) }, []),
        ["busybox"] = new(new[] { S("/usr/bin/busybox", "sha256sum", "data.txt"), S("/usr/bin/busybox", "sort", "-r", "data.txt"), S("/usr/bin/busybox", "wc", "-l", "data.txt"),
            S("/usr/bin/busybox", "ls", "tree") }, []),
    };

    public static IEnumerable<object[]> Names() => Cases.Keys.Order().Select(k => new object[] { k });

    // A fixed tree: files with known bytes and mtimes, so listings, archives and checksums are the same
    // in both copies.
    private static void Populate(string dir)
    {
        Directory.CreateDirectory(Path.Combine(dir, "tree", "sub"));
        File.WriteAllText(Path.Combine(dir, "tree", "a.txt"), "first line\nsecond line\nthird\n");
        File.WriteAllBytes(Path.Combine(dir, "tree", "sub", "b.bin"), Enumerable.Range(0, 40).Select(i => (byte)(i * 37)).ToArray());
        File.WriteAllText(Path.Combine(dir, "tree", "sub", "c.txt"), "");
        File.WriteAllText(Path.Combine(dir, "data.txt"), "banana 3\napple 10\ncherry 7\napple 2\nbanana 30\ndate 1\n");
        File.WriteAllText(Path.Combine(dir, "sorted.txt"), "apple 10\napple 10\napple 2\nbanana 3\ncherry 7\ncherry 7\ncherry 7\ndate 1\n");
        File.WriteAllText(Path.Combine(dir, "sums.txt"),
            $"{Hex(Path.Combine(dir, "data.txt"))}  data.txt\n{Hex(Path.Combine(dir, "tree", "a.txt"))}  tree/a.txt\n");
        var when = new DateTime(2021, 3, 4, 5, 6, 7, DateTimeKind.Utc);
        foreach (var f in Directory.GetFileSystemEntries(dir, "*", SearchOption.AllDirectories).OrderByDescending(p => p.Length))
        {
            if (File.Exists(f)) File.SetLastWriteTimeUtc(f, when);
            else Directory.SetLastWriteTimeUtc(f, when);
            when = when.AddMinutes(17);
        }
        Directory.SetLastWriteTimeUtc(dir, when);
    }

    private static string Hex(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))).ToLowerInvariant();

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesNative(string name)
    {
        var c = Cases[name];
        foreach (var step in c.Steps) Assert.True(File.Exists(step.Program), $"{step.Program} is not installed (.ci/run installs it)");
        string native = Directory.CreateTempSubdirectory("ferry-debian-").FullName, ferry = Directory.CreateTempSubdirectory("ferry-debian-").FullName;
        try
        {
            Populate(native);
            Populate(ferry);
            foreach (var step in c.Steps)
            {
                byte[]? input = step.Stdin == null ? null : System.Text.Encoding.UTF8.GetBytes(step.Stdin);
                var n = ProcessRunner.Native(step.Program, step.Args, input, native);
                // multiprocessing starts several emulated pythons, each paying its start-up: on a loaded machine
                // that alone passed the default five minutes.
                var f = ProcessRunner.Ferry(step.Program, step.Args, input, ferry, timeoutSeconds: step.Program.EndsWith("python3", StringComparison.Ordinal) ? 900 : 300);
                Assert.Equal($"{step.Program} {string.Join(' ', step.Args)}\n{n}", $"{step.Program} {string.Join(' ', step.Args)}\n{f}");
            }
            foreach (var o in c.Outputs)
                Assert.Equal((o, Hex(Path.Combine(native, o))), (o, Hex(Path.Combine(ferry, o))));
        }
        finally
        {
            Directory.Delete(native, true);
            Directory.Delete(ferry, true);
        }
    }
}
