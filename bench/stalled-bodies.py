# 40 stalled JSON POSTs + N stalled uploads against PORT; then /health timed 5 times (median)
import socket,sys,time,urllib.request,statistics
port=int(sys.argv[1]); n_json=int(sys.argv[2]); n_up=int(sys.argv[3])
json_head=('POST /api/v1/instances HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n{"name":').encode()
up_head=('POST /api/v1/instances/1/backups/import HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: 50000000\r\n\r\n--XX\r\nContent-Disposition: form-data; name="file"; filename="a.zip"\r\nContent-Type: application/zip\r\n\r\nPK\x03\x04').encode('latin1')
socks=[]
for i in range(n_json+n_up):
    s=socket.create_connection(('127.0.0.1',port),timeout=5); s.sendall(json_head if i<n_json else up_head); socks.append(s)
time.sleep(3)  # measurement script, not a test: let the server take them in
times=[]
for i in range(5):
    st=time.time()
    try:
        r=urllib.request.urlopen('http://127.0.0.1:%d/health'%port,timeout=10); r.read(); times.append(time.time()-st)
    except Exception as e:
        times.append(float('inf')); print('health fail',e)
print('stalled',len(socks),'health times',['%.3f'%t for t in times],'median %.3f'%statistics.median(times))
for s in socks: s.close()
