using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using MediaVault.Images;
using MediaVault.Infrastructure;
using Microsoft.Extensions.Options;

namespace MediaVault.Storage;

/// <summary>At start-up: creates the bucket when asked to, writes its CORS rules for the allowed browser
/// origins, and lets anyone read the key prefixes of public collections through the bucket policy (no
/// object ACLs: buckets made on AWS since April 2023 refuse them). Private prefixes stay private.</summary>
internal sealed class S3BucketSetup(IAmazonS3 s3, IOptions<StorageOptions> options, IOptions<BrowserOriginsOptions> browsers,
    IOptions<MediaOptions> media, ILogger<S3BucketSetup> log) : IHostedService
{
    /// <summary>Our statement in the bucket policy; every other statement is left as the operator wrote it.</summary>
    public const string PolicySid = "MediaVaultPublicCollections";

    private readonly CancellationTokenSource _stopping = new();
    private Task _retries = Task.CompletedTask;

    /// <summary>The first try is awaited, so a dev server's bucket exists before the first request. Storage
    /// that is down at start-up does not keep the service from starting: it answers 503 meanwhile, and the
    /// setup is tried again until it succeeds.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        if (await TrySetUpAsync(ct)) return;
        _retries = Task.Run(async () =>
        {
            while (!_stopping.IsCancellationRequested)
            {
                try { await Task.Delay(TimeSpan.FromSeconds(15), _stopping.Token); }
                catch (OperationCanceledException) { return; }
                if (await TrySetUpAsync(_stopping.Token)) return;
            }
        });
    }

    public async Task StopAsync(CancellationToken ct)
    {
        await _stopping.CancelAsync();
        try { await _retries; } catch (OperationCanceledException) { }
    }

    private async Task<bool> TrySetUpAsync(CancellationToken ct)
    {
        try
        {
            await SetUpAsync(ct);
            return true;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // Storage down or slow (the SDK's timeout is a cancellation too), or a policy we cannot read:
            // the service starts anyway and answers 503 for storage until this succeeds.
            log.LogError(e, "Could not set up bucket {Bucket} (creation, CORS rules, public policy); retrying in 15 s.", options.Value.S3.Bucket);
            return false;
        }
    }

    private async Task SetUpAsync(CancellationToken ct)
    {
        var o = options.Value.S3;
        if (o.CreateBucket)
        {
            try
            {
                await s3.PutBucketAsync(new PutBucketRequest { BucketName = o.Bucket }, ct);
                log.LogInformation("Created bucket {Bucket}.", o.Bucket);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists") { }
        }
        // The same origins as the API's (Storage:S3:CorsOrigins is the older name for them).
        var origins = browsers.Value.AllowedOrigins.Concat(o.CorsOrigins).Distinct(StringComparer.Ordinal).ToList();
        if (origins.Count > 0)
        {
            await s3.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
            {
                BucketName = o.Bucket,
                Configuration = new CORSConfiguration
                {
                    Rules =
                    [
                        new CORSRule
                        {
                            AllowedOrigins = origins, AllowedMethods = ["GET", "PUT", "POST", "HEAD"],
                            AllowedHeaders = ["*"], ExposeHeaders = ["ETag", "Location"], MaxAgeSeconds = 3600,
                        },
                    ],
                },
            }, ct);
        }
        if (o.ManagePublicPolicy) await WritePublicPolicyAsync(o.Bucket!, ct);
    }

    private async Task WritePublicPolicyAsync(string bucket, CancellationToken ct)
    {
        var prefixes = media.Value.Collections.Where(c => c.Value.IsPublic).Select(c => $"arn:aws:s3:::{bucket}/{c.Key}/*").Order().ToList();
        var policy = await ReadPolicyAsync(bucket, ct);
        // IAM allows one statement as a bare object: keep it as the first of the list.
        var statements = policy["Statement"] switch
        {
            JsonArray list => list,
            JsonObject single => [single.DeepClone()],
            _ => [],
        };
        var ours = statements.FirstOrDefault(st => st is JsonObject o && o["Sid"] is JsonValue sid && sid.TryGetValue<string>(out var v) && v == PolicySid);
        if (ours is null && prefixes.Count == 0) return; // nothing public, nothing of ours to remove
        if (ours is not null) statements.Remove(ours);
        if (prefixes.Count > 0)
        {
            statements.Add(new JsonObject
            {
                ["Sid"] = PolicySid, ["Effect"] = "Allow", ["Principal"] = "*", ["Action"] = "s3:GetObject",
                ["Resource"] = new JsonArray([.. prefixes.Select(p => (JsonNode)p)]),
            });
        }
        policy["Statement"] = statements;
        try
        {
            if (statements.Count == 0) await s3.DeleteBucketPolicyAsync(new DeleteBucketPolicyRequest { BucketName = bucket }, ct);
            else await s3.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = bucket, Policy = policy.ToJsonString() }, ct);
        }
        catch (AmazonS3Exception e)
        {
            // Block Public Access, or no s3:PutBucketPolicy: public collections stay unreadable until an operator applies it.
            log.LogError(e, "Could not write the bucket policy for public collections ({Error}); apply it by hand: {Policy}",
                e.ErrorCode, policy.ToJsonString());
        }
    }

    private async Task<JsonObject> ReadPolicyAsync(string bucket, CancellationToken ct)
    {
        try
        {
            var existing = await s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = bucket }, ct);
            // Ceph RGW answers a bucket without a policy with its XML error document as the "policy".
            if (existing.Policy?.TrimStart().StartsWith('{') == true && JsonNode.Parse(existing.Policy) is JsonObject parsed) return parsed;
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucketPolicy" || e.StatusCode == System.Net.HttpStatusCode.NotFound) { }
        return new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = new JsonArray() };
    }

}
