// A QR code as inline SVG (one path of dark modules and a white quiet zone), drawn with
// qrcode-generator; no inline style, so it renders under the console's CSP and prints sharp.
import qrcode from 'qrcode-generator';
import { useMemo } from 'preact/hooks';

export function QrCode(props: { text: string; label: string; size?: number }) {
  const { d, n } = useMemo(() => {
    const qr = qrcode(0, 'M');
    qr.addData(props.text);
    qr.make();
    const count = qr.getModuleCount();
    let path = '';
    for (let r = 0; r < count; r++) for (let c = 0; c < count; c++) if (qr.isDark(r, c)) path += `M${c + 4},${r + 4}h1v1h-1z`;
    return { d: path, n: count + 8 };
  }, [props.text]);
  const size = props.size ?? 200;
  return (
    <svg class="qr" role="img" aria-label={props.label} width={size} height={size} viewBox={`0 0 ${n} ${n}`} shape-rendering="crispEdges">
      <rect width={n} height={n} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
