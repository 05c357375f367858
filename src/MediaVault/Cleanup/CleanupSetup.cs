namespace MediaVault.Cleanup;

internal static class CleanupSetup
{
    public static WebApplicationBuilder AddCleanup(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<CleanupOptions>().BindConfiguration(CleanupOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<UploadSweeper>();
        builder.Services.AddSingleton<PendingImageSweeper>();
        builder.Services.AddSingleton<StorageAudit>();
        builder.Services.AddSingleton<CleanupJob>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CleanupJob>());
        return builder;
    }
}
