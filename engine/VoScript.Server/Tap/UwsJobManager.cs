using System.Collections.Concurrent;
using System.Security.Cryptography;
using VoScript.Engine.Protocols.Tap;

namespace VoScript.Server.Tap;

/// <summary>
/// The UWS job list of the TAP service: creates jobs, runs at most
/// <see cref="TapServiceOptions.MaxConcurrentJobs"/> at a time within their execution duration,
/// aborts, deletes, and destroys jobs whose destruction time has passed.
/// </summary>
internal sealed class UwsJobManager : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, UwsJob> _jobs = new(StringComparer.Ordinal);
    private readonly QueryRunner _runner;
    private readonly TapServiceOptions _options;
    private readonly SemaphoreSlim _slots;
    private readonly string _workDir;
    private readonly bool _ownWorkDir;
    private readonly Timer _sweeper;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    public UwsJobManager(QueryRunner runner, TapServiceOptions options, TimeProvider? clock = null)
    {
        _runner = runner;
        _options = options;
        _clock = clock ?? TimeProvider.System;
        _slots = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentJobs));
        _ownWorkDir = options.WorkDirectory is null;
        if (_ownWorkDir) RemoveOrphanedWorkDirectories(Path.GetTempPath());
        _workDir = options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), WorkDirPrefix + Environment.ProcessId + "-" + NewId());
        Directory.CreateDirectory(_workDir);
        _sweeper = new Timer(_ => Sweep(), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
    }

    internal const string WorkDirPrefix = "voscript-serve-";

    /// <summary>
    /// Removes the result folders of earlier serve processes that were killed before they could clean up
    /// (SIGKILL, a crash): their names carry the process id, and that process is gone.
    /// </summary>
    internal static void RemoveOrphanedWorkDirectories(string parent)
    {
        foreach (var dir in Directory.EnumerateDirectories(parent, WorkDirPrefix + "*"))
        {
            var rest = Path.GetFileName(dir)[WorkDirPrefix.Length..];
            var dash = rest.IndexOf('-');
            if (dash <= 0 || !int.TryParse(rest.AsSpan(0, dash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)) continue;
            if (pid == Environment.ProcessId || IsRunning(pid)) continue;
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    public DateTimeOffset Now => _clock.GetUtcNow();

    public int Count => _jobs.Count;

    public UwsJob Create(TapParameters parameters)
    {
        var now = Now;
        var job = new UwsJob(NewId(), parameters, now, _options.DefaultExecutionDuration, now + _options.DefaultRetention);
        _jobs[job.Id] = job;
        return job;
    }

    public UwsJob? Get(string id) => _jobs.TryGetValue(id, out var j) && !j.Deleted ? j : null;

    /// <summary>The job list with the UWS 1.1 filters: PHASE (any of), AFTER (created after), LAST (newest n by start time, else creation).</summary>
    public IReadOnlyList<UwsJob> List(IReadOnlyCollection<UwsPhase> phases, DateTimeOffset? after, int? last)
    {
        IEnumerable<UwsJob> q = _jobs.Values.Where(j => !j.Deleted);
        q = phases.Count > 0 ? q.Where(j => phases.Contains(j.Phase)) : q.Where(j => j.Phase != UwsPhase.Archived);
        if (after is { } a) q = q.Where(j => j.CreationTime > a);
        if (last is { } n) return q.OrderByDescending(j => j.StartTime ?? j.CreationTime).Take(n).ToList();
        return q.OrderBy(j => j.CreationTime).ToList();
    }

    /// <summary>PHASE=RUN: a PENDING job is queued and runs when a slot is free; other phases are left alone.</summary>
    public void Run(UwsJob job)
    {
        lock (job.Sync)
        {
            if (job.Phase != UwsPhase.Pending) return;
            job.Cancel = new CancellationTokenSource();
            job.SetPhase(UwsPhase.Queued);
        }
        var t = Task.Run(() => ExecuteAsync(job));
        _running[t] = 0;
        t.ContinueWith(done => _running.TryRemove(done, out _), TaskScheduler.Default);
    }

    /// <summary>PHASE=ABORT: a job that has not finished becomes ABORTED.</summary>
    public void Abort(UwsJob job)
    {
        lock (job.Sync)
        {
            if (!job.Phase.IsActive()) return;
            job.AbortRequested = true;
            if (job.Phase == UwsPhase.Pending)
            {
                job.EndTime = Now;
                job.SetPhase(UwsPhase.Aborted);
                return;
            }
            job.Cancel?.Cancel();
        }
    }

    /// <summary>Removes the job: aborts it if it runs and deletes its result.</summary>
    public void Delete(UwsJob job)
    {
        Abort(job);
        lock (job.Sync)
        {
            job.Deleted = true;
            TryDeleteFile(job.ResultPath);
            job.ResultPath = null;
        }
        _jobs.TryRemove(job.Id, out _);
    }

    /// <summary>EXECUTIONDURATION: seconds, 0 or less = the longest allowed; capped at the maximum. Only while PENDING.</summary>
    public void SetExecutionDuration(UwsJob job, string value)
    {
        if (!long.TryParse(value.Trim(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var s))
            throw new TapRequestException($"EXECUTIONDURATION={value} is not a whole number of seconds");
        lock (job.Sync)
        {
            RequirePending(job, "EXECUTIONDURATION");
            var max = _options.MaxExecutionDuration;
            job.ExecutionDuration = s <= 0 || s > max.TotalSeconds ? max : TimeSpan.FromSeconds(s);
        }
    }

    /// <summary>DESTRUCTION: an ISO 8601 time; capped at creation plus the longest retention.</summary>
    public void SetDestruction(UwsJob job, string value)
    {
        if (!UwsXml.TryParseTime(value, out var t))
            throw new TapRequestException($"DESTRUCTION={value} is not an ISO 8601 time such as 2030-01-01T00:00:00Z");
        lock (job.Sync)
        {
            var max = job.CreationTime + _options.MaxRetention;
            job.Destruction = t > max ? max : t;
        }
    }

    /// <summary>More parameters for a PENDING job (POST to /parameters); a name posted again replaces its old values.</summary>
    public void AddParameters(UwsJob job, TapParameters more)
    {
        lock (job.Sync)
        {
            RequirePending(job, "parameters");
            job.Parameters.SetRange(more);
        }
    }

    /// <summary>WAIT: returns when the phase changes, after <paramref name="wait"/> (capped) or at once if the job is not active or not in <paramref name="onlyIn"/>.</summary>
    public async Task WaitAsync(UwsJob job, TimeSpan wait, UwsPhase? onlyIn, CancellationToken ct)
    {
        Task changed;
        lock (job.Sync)
        {
            if (!job.Phase.IsActive()) return;
            if (onlyIn is { } p && job.Phase != p) return;
            changed = job.Changed;
        }
        if (wait < TimeSpan.Zero || wait > _options.MaxWait) wait = _options.MaxWait;
        var delay = Task.Delay(wait, ct);
        await Task.WhenAny(changed, delay).ConfigureAwait(false);
    }

    private static void RequirePending(UwsJob job, string what)
    {
        if (job.Phase != UwsPhase.Pending)
            throw new TapRequestException($"job {job.Id} is {job.Phase.Name()}: {what} can only change while it is PENDING", 403);
    }

    private async Task ExecuteAsync(UwsJob job)
    {
        var cancel = job.Cancel!;
        var gotSlot = false;
        try
        {
            await _slots.WaitAsync(cancel.Token).ConfigureAwait(false);
            gotSlot = true;
            TimeSpan duration;
            lock (job.Sync)
            {
                job.StartTime = Now;
                job.SetPhase(UwsPhase.Executing);
                duration = job.ExecutionDuration;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token);
            timeout.CancelAfter(duration);
            try
            {
                var (result, format) = await _runner.RunAsync(job.Parameters, timeout.Token).ConfigureAwait(false);
                var path = Path.Combine(_workDir, job.Id + ".result");
                await using (var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: false))
                    format.Write(result, fs);
                lock (job.Sync)
                {
                    if (job.Deleted) { TryDeleteFile(path); return; }
                    job.ResultPath = path;
                    job.ResultContentType = format.ContentType;
                    job.ResultRows = result.Table.RowCount;
                    job.Overflow = result.Overflow;
                    Finish(job, UwsPhase.Completed);
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancel.IsCancellationRequested)
            {
                lock (job.Sync)
                {
                    job.ErrorMessage = $"the query ran longer than its execution duration of {duration.TotalSeconds:0} s and was stopped; ask for a longer EXECUTIONDURATION (at most {_options.MaxExecutionDuration.TotalSeconds:0} s) or a smaller query";
                    Finish(job, UwsPhase.Error);
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            lock (job.Sync) Finish(job, UwsPhase.Aborted);
        }
        catch (TapRequestException e)
        {
            lock (job.Sync)
            {
                job.ErrorMessage = e.Message;
                Finish(job, UwsPhase.Error);
            }
        }
        catch (Exception e)
        {
            lock (job.Sync)
            {
                job.ErrorMessage = $"internal error of the service ({e.GetType().Name}): {e.Message}";
                Finish(job, UwsPhase.Error);
            }
        }
        finally
        {
            if (gotSlot) _slots.Release();
        }
    }

    private void Finish(UwsJob job, UwsPhase phase)
    {
        if (job.AbortRequested && phase != UwsPhase.Completed) phase = UwsPhase.Aborted;
        job.EndTime = Now;
        job.SetPhase(phase);
    }

    /// <summary>Deletes jobs whose destruction time has passed.</summary>
    internal void Sweep()
    {
        var now = Now;
        foreach (var j in _jobs.Values)
            if (j.Destruction <= now) Delete(j);
    }

    public async ValueTask DisposeAsync()
    {
        await _sweeper.DisposeAsync().ConfigureAwait(false);
        foreach (var j in _jobs.Values) Delete(j);
        try
        {
            await Task.WhenAll(_running.Keys).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException) { }
        if (_ownWorkDir)
        {
            try { Directory.Delete(_workDir, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    private static void TryDeleteFile(string? path)
    {
        if (path is null) return;
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static string NewId()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        return RandomNumberGenerator.GetString(alphabet, 12);
    }
}
