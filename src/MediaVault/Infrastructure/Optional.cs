using System.Text.Json;
using System.Text.Json.Serialization;

namespace MediaVault.Infrastructure;

/// <summary>A JSON field of a partial update: absent (leave as it is), or present with a value that may be
/// null (clear it). Plain nullable properties cannot tell the two apart.</summary>
[JsonConverter(typeof(OptionalConverterFactory))]
public readonly struct Optional<T>
{
    public Optional(T? value) { IsSet = true; Value = value; }

    public bool IsSet { get; }
    public T? Value { get; }

    public T? Or(T? current) => IsSet ? Value : current;
}

internal sealed class OptionalConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Optional<>);

    public override JsonConverter CreateConverter(Type type, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(OptionalConverter<>).MakeGenericType(type.GetGenericArguments()[0]))!;

    private sealed class OptionalConverter<T> : JsonConverter<Optional<T>>
    {
        // Called for a present null too, so that null means "clear" and absence means "unchanged".
        public override bool HandleNull => true;

        public override Optional<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(reader.TokenType == JsonTokenType.Null ? default : JsonSerializer.Deserialize<T>(ref reader, options));

        public override void Write(Utf8JsonWriter writer, Optional<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.Value, options);
    }
}
