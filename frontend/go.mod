module github.com/crypto-oms/crypto-oms/frontend

go 1.26
