// Package lambdacheck checks the Lambda functions on real components. Its tests run the handlers on
// the recorded event fixtures of lambdas/<fn>/testdata against FerretDB and kfake, run the real
// `bootstrap` binaries under the AWS Lambda Runtime Interface Emulator, and check that every query the
// read model sends is served by one of its indexes. The package itself records the store's queries and
// explains them (Recorder, Explain, Serving), for those tests and for omsquerybench.
//
// It lives under hotpath/ because only code there may use the local services of hotpath/internal
// (testenv, embedded); lambdas/ never imports hotpath/internal.
package lambdacheck
