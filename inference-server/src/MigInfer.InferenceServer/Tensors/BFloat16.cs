namespace MigInfer.InferenceServer.Tensors;

/// <summary>The upper 16 bits of an IEEE single, as the protocol's BF16 and ONNX's bfloat16 store it.</summary>
internal readonly record struct BFloat16(ushort Bits)
{
    /// <summary>Rounds to nearest even; NaN stays NaN.</summary>
    public static BFloat16 FromSingle(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return new BFloat16((ushort)((bits >> 16) | 0x40));
        }

        var rounding = 0x7FFFu + ((bits >> 16) & 1);
        return new BFloat16((ushort)((bits + rounding) >> 16));
    }

    public float ToSingle() => BitConverter.UInt32BitsToSingle((uint)Bits << 16);
}
