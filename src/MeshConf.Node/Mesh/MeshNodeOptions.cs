using System.Net;
using MeshConf.Node.Security;

namespace MeshConf.Node.Mesh;

/// <summary>Everything a mesh node needs besides its transport.</summary>
internal sealed class MeshNodeOptions
{
    public required string Session { get; init; }

    public required string Name { get; init; }

    /// <summary>The long-term identity key (borrowed: the caller disposes it after the node).</summary>
    public required IdentityKey Identity { get; init; }

    /// <summary>Trust-on-first-use memory of peers' keys by name.</summary>
    public required KnownPeers KnownPeers { get; init; }

    public string? Passphrase { get; init; }

    /// <summary>Peers to dial and keep dialling (with backoff) until linked.</summary>
    public IReadOnlyList<IPEndPoint> Peers { get; init; } = [];

    /// <summary>A handshake not finished after this long is abandoned.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Incoming handshakes allowed at once from one IP address, refilled at <see cref="HandshakeRatePerSecond"/>.</summary>
    public int HandshakeBurstPerAddress { get; init; } = 16;

    public double HandshakeRatePerSecond { get; init; } = 8;

    /// <summary>Handshakes in progress at once; more incoming links are turned away.</summary>
    public int MaxPendingHandshakes { get; init; } = 32;

    /// <summary>A peer whose link was replaced but whose new link never came is dropped after this long.</summary>
    public TimeSpan MigrationGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the node with the larger id waits for the smaller one to dial before dialling itself.</summary>
    public TimeSpan RosterDialFallback { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Every member re-sends its roster this often, so a lost update heals.</summary>
    public TimeSpan RosterRefresh { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Packets per channel between rekeys (2^shift); tests lower it.</summary>
    public int RekeyShift { get; init; } = Core.Security.PacketSealer.DefaultRekeyShift;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>A fixed node id for tests; random when null.</summary>
    public ulong? NodeId { get; init; }
}
