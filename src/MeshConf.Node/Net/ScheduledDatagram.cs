namespace MeshConf.Node.Net;

/// <summary>
/// One delayed copy waiting in the <see cref="DatagramScheduler"/>. Buffer ownership: <see cref="Buffer"/> was
/// rented from the relay's pool by whoever scheduled the copy; from then on the scheduler owns it and returns it
/// after sending (or on shutdown). Only the first <see cref="Length"/> bytes are the datagram.
/// </summary>
internal readonly record struct ScheduledDatagram(byte[] Buffer, int Length, RelayLeg Leg);
