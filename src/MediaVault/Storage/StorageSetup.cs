using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Amazon.S3;
using Amazon.S3.Model;
using MediaVault.Images;
using Microsoft.Extensions.Options;

namespace MediaVault.Storage;

internal static class StorageSetup
{
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, ValidateStorageOptions>();
        services.AddOptions<MediaOptions>().BindConfiguration(MediaOptions.Section).ValidateOnStart();
        services.AddSingleton<ConfigureMediaOptions>();
        services.AddSingleton<IPostConfigureOptions<MediaOptions>>(sp => sp.GetRequiredService<ConfigureMediaOptions>());
        services.AddSingleton<IValidateOptions<MediaOptions>>(sp => sp.GetRequiredService<ConfigureMediaOptions>());
        services.AddHttpContextAccessor();
        services.TryAddSingleton(TimeProvider.System);

        var provider = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>()?.Provider ?? StorageProvider.Local;
        if (provider == StorageProvider.S3)
        {
            // One credentials object for the client and for the GET presigner, so both follow rotation.
            services.AddSingleton(sp => DefaultAWSCredentialsIdentityResolver.GetCredentials(S3Config(sp.GetRequiredService<IOptions<StorageOptions>>().Value.S3)));
            services.AddSingleton<IAmazonS3>(sp => new AmazonS3Client(sp.GetRequiredService<AWSCredentials>(),
                S3Config(sp.GetRequiredService<IOptions<StorageOptions>>().Value.S3, sp.GetRequiredService<IOptions<StorageOptions>>().Value.Timeout)));
            services.AddSingleton<IObjectStore, S3ObjectStore>();
            services.AddHostedService<S3BucketSetup>();
        }
        else
        {
            services.AddSingleton<LocalStorageFolder>();
            services.AddSingleton(sp => new UrlSigner(sp.GetRequiredService<LocalStorageFolder>()
                .LoadOrCreateSigningKey(sp.GetRequiredService<IOptions<StorageOptions>>().Value.Local.SigningKey)));
            services.AddSingleton<LocalObjectStore>();
            services.AddSingleton<IObjectStore>(sp => sp.GetRequiredService<LocalObjectStore>());
        }
        services.AddScoped<ImageUrls>();
        return builder;
    }

    public static IEndpointRouteBuilder MapStorage(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<LocalObjectStore>() is not null) app.MapLocalStorage();
        return app;
    }

    public static AmazonS3Config S3Config(S3StorageOptions o, TimeSpan? timeout = null)
    {
        var config = new AmazonS3Config
        {
            // Per attempt; S3ObjectStore also bounds each call as a whole (retries included).
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
            ForcePathStyle = o.ForcePathStyle,
            // S3-compatible servers (Ceph RGW 16) reject the SDK's default streaming checksums.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (!string.IsNullOrEmpty(o.ServiceUrl))
        {
            config.ServiceURL = o.ServiceUrl;
            config.AuthenticationRegion = o.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(o.Region);
        }
        return config; // credentials: the AWS default chain (AWS_* variables, profiles, roles)
    }
}
