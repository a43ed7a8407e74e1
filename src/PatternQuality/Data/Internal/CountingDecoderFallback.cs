using System.Text;

namespace PatternQuality.Data.Internal;

/// <summary>
/// Replaces each invalid byte sequence with U+FFFD, as the default fallback does, but counts them, so a reader can
/// find the first one in the text it just decoded and report its line instead of silently reading damaged text.
/// </summary>
internal sealed class CountingDecoderFallback : DecoderFallback
{
    /// <summary>The character an invalid sequence becomes.</summary>
    public const char Replacement = '\uFFFD';

    /// <summary>Gets the number of invalid sequences seen so far.</summary>
    public int Count { get; private set; }

    public override int MaxCharCount => 1;

    public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer(this);

    private sealed class Buffer(CountingDecoderFallback owner) : DecoderFallbackBuffer
    {
        private int _remaining;

        public override int Remaining => _remaining;

        public override bool Fallback(byte[] bytesUnknown, int index)
        {
            owner.Count++;
            _remaining = 1;
            return true;
        }

        public override char GetNextChar()
        {
            if (_remaining > 0)
            {
                _remaining--;
                return Replacement;
            }

            return '\0';
        }

        public override bool MovePrevious()
        {
            if (_remaining == 0)
            {
                _remaining = 1;
                return true;
            }

            return false;
        }

        public override void Reset() => _remaining = 0;
    }
}
