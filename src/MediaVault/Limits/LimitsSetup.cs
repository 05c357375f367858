namespace MediaVault.Limits;

internal static class LimitsSetup
{
    public static WebApplicationBuilder AddLimits(this WebApplicationBuilder builder)
    {
        builder.AddRateLimits();
        builder.Services.AddOptions<QuotaOptions>().BindConfiguration(QuotaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<Quotas>();
        return builder;
    }
}
