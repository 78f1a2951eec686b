using BenchmarkDotNet.Attributes;
using MeshConf.Core.Chat;
using MeshConf.Core.Text;

namespace MeshConf.Benchmarks;

/// <summary>
/// What a chat line costs on its way: sealing is the mesh's (see <see cref="PacketProtectionBenchmarks"/>); here
/// the wire form out and back, and making a peer's text inert for the screen (plain text, and text full of escape
/// sequences, accents and wide characters).
/// </summary>
[MemoryDiagnoser]
public class ChatBenchmarks
{
    private const string Plain = "can everyone see the diagram? I will share my screen in a minute, hold on";
    private const string Hostile = "\u001b]2;pwned\u0007\u001b[2J\u001b[31mred\u009b1;1Hx\u202Eevil Jose\u0301 日本語 😀 \u001bP+q\u001b\\ end";
    private readonly byte[] _wire = new byte[ChatLine.MaxSize];
    private int _length;

    [GlobalSetup]
    public void Setup() => _length = new ChatLine(7, 1_790_000_000_000, Plain).Write(_wire);

    [Benchmark]
    public int Write() => new ChatLine(7, 1_790_000_000_000, Plain).Write(_wire);

    [Benchmark]
    public bool Read() => ChatLine.TryRead(_wire.AsSpan(0, _length), out _);

    [Benchmark]
    public string SanitizePlain() => SafeText.Sanitize(Plain, ChatLine.MaxTextBytes);

    [Benchmark]
    public string SanitizeHostile() => SafeText.Sanitize(Hostile, ChatLine.MaxTextBytes);
}
