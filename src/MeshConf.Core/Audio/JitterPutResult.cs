namespace MeshConf.Core.Audio;

/// <summary>What <see cref="JitterBuffer.Put"/> did with a packet.</summary>
internal enum JitterPutResult
{
    /// <summary>Held for playout.</summary>
    Stored,

    /// <summary>A copy of a packet already received: dropped.</summary>
    Duplicate,

    /// <summary>Came after its frame was played (or concealed): dropped, counted as late.</summary>
    Late,

    /// <summary>Not a frame of ours (empty or oversized payload, odd frame length): dropped.</summary>
    Rejected,
}
